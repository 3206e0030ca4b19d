// `npm start`: the Node server.
import { runNode } from "./run.ts";

runNode();
