// Starts the fauxqs SNS + SQS emulator on 127.0.0.1 only (fauxqs' own CLI listens on 0.0.0.0).
// scripts/start-sns-sqs.sh copies this file next to the installed node_modules and runs it with
// Node >= 22.5 (fauxqs 2.x imports node:sqlite). Port: SNS_SQS_PORT (default 4566).
// State is in memory: a restart empties every queue and topic.
import { buildApp } from "fauxqs";

const port = Number.parseInt(process.env.SNS_SQS_PORT ?? "4566", 10);
const app = buildApp({ logger: false });
await app.listen({ port, host: "127.0.0.1" });
console.log(`fauxqs listening on http://127.0.0.1:${port} (node ${process.version}, pid ${process.pid})`);

let closing = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing`);
    // a long poll (ReceiveMessage WaitTimeSeconds up to 20 s) must not hold the shutdown
    setTimeout(() => process.exit(0), 2000).unref();
    app.close().finally(() => process.exit(0));
  });
}
