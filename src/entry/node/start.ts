// The Node server with no development tool mounted; `npm start` (console/start.ts) adds the local console.
import { runNode } from "./run.ts";

runNode();
