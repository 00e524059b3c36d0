import { KAFKA_VERSION, kafkaJars } from './kafkaJars.js';

// npm run kafka:fetch — resolves the pinned Kafka from Maven Central once, so test runs find it ready.
const started = Date.now();
const lib = kafkaJars();
console.log(`Apache Kafka ${KAFKA_VERSION}: ${lib} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
