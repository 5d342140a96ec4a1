#!/usr/bin/env node
// The `micrograd` command: runs the built CLI (npm install / npm ci build it through `prepare`).
import process from "node:process";
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
