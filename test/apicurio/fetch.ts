import { APICURIO_VERSION, apicurioApp, apicurioJava } from './apicurioHome.js';

// npm run apicurio:fetch — unpacks the pinned Apicurio Registry from Maven Central once and finds
// a Java to run it, so test runs find both ready (and CI fails here, saying why, when either is missing).
const started = Date.now();
const app = apicurioApp();
const java = apicurioJava();
console.log(
  `Apicurio Registry ${APICURIO_VERSION}: ${app}, run by ${java} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
