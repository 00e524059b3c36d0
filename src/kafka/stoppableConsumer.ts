import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';

/**
 * A KafkaJS consumer that stays stopped once disconnect() is called. KafkaJS restarts a consumer
 * that crashed on a retriable error from a timer, and a disconnect that runs while the crash is
 * being handled (before that timer is set) does not cancel it: the consumer came back after the
 * instance had stopped, rejoined its group and kept the process alive. Here KafkaJS is told not
 * to restart it (retry.restartOnFailure) once a disconnect has begun.
 */
export function stoppableConsumer(kafka: Kafka, config: ConsumerConfig): Consumer {
  let disconnecting = false;
  const own = config.retry?.restartOnFailure;
  const consumer = kafka.consumer({
    ...config,
    retry: {
      ...config.retry,
      restartOnFailure: async (err) => !disconnecting && (own ? await own(err) : true),
    },
  });
  const disconnect = consumer.disconnect.bind(consumer);
  consumer.disconnect = async () => {
    disconnecting = true;
    await disconnect();
  };
  return consumer;
}
