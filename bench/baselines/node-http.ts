// The floor of the ingress comparison: a bare node:http server that reads each body and answers `{}`. It verifies
// nothing and stores nothing; no webhook server on this machine can be faster than this one.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

let requests = 0;
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ messages: requests, cards: 0 }));
    return;
  }
  req.resume();
  req.on("end", () => {
    requests++;
    res.setHeader("content-type", "application/json");
    res.end("{}");
  });
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ level: "info", event: "server.started", url: `http://127.0.0.1:${port}` }));
});
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
