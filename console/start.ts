// `npm start`: the Node server with the local console mounted (on only while no platform is configured; see console-mode.ts).
import { runNode } from "../src/entry/node/run.ts";
import { createLocalConsole } from "./local-console.ts";

runNode(createLocalConsole);
