"""A Node.js function's worker, as JavaScript: ``node <this script> DIR HANDLER``.

The same protocol as the Python worker (``_worker.py``): it imports ``HANDLER``
(``module.function``, from ``module.js``, ``.mjs`` or ``.cjs`` in ``DIR``) once, writes
``["ready", null]``, then answers one JSON event per line with ``["ok", result]`` or
``["error", text]``. Handlers may be async or take a callback, as Lambda's Node.js runtimes
allow; what they log goes to standard error.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

SOURCE = r"""
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const util = require("util");
const crypto = require("crypto");
const { pathToFileURL } = require("url");

const answer = (status, value) =>
  process.stdout.write(JSON.stringify([status, value === undefined ? null : value]) + "\n");
for (const level of ["log", "info", "warn", "error", "debug"]) {
  console[level] = (...args) => process.stderr.write(util.format(...args) + "\n");
}

async function load(codeDir, spec) {
  const dot = spec.lastIndexOf(".");
  const moduleName = spec.slice(0, dot);
  const name = spec.slice(dot + 1);
  const file = [".js", ".mjs", ".cjs"]
    .map((extension) => path.join(codeDir, moduleName + extension))
    .find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error(`Cannot find module '${moduleName}' in ${codeDir}`);
  const loaded = await import(pathToFileURL(file).href);
  const handler = loaded[name] ?? (loaded.default && loaded.default[name]);
  if (typeof handler !== "function") throw new Error(`${spec} is undefined or not exported`);
  return handler;
}

function invoke(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, value) => (error ? reject(error) : resolve(value));
    const result = handler(event, context, callback);
    if (result && typeof result.then === "function") result.then(resolve, reject);
    else if (handler.length < 3) resolve(result);
  });
}

async function main() {
  const [codeDir, spec] = process.argv.slice(2);
  const timeout = Number(process.env.AWS_LAMBDA_FUNCTION_TIMEOUT || "3") * 1000;
  let handler;
  let initError;
  try {
    handler = await load(codeDir, spec);
  } catch (error) {
    initError = "Runtime.ImportModuleError: " + ((error && error.stack) || error);
  }
  answer("ready", null);
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (initError) {
      answer("error", initError);
      continue;
    }
    const deadline = Date.now() + timeout;
    const context = {
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: "$LATEST",
      awsRequestId: crypto.randomUUID(),
      memoryLimitInMB: "128",
      logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      const result = await invoke(handler, JSON.parse(line), context);
      answer("ok", JSON.parse(JSON.stringify(result ?? null)));
    } catch (error) {
      answer("error", String((error && error.stack) || error));
    }
  }
}

main();
"""


@functools.cache
def script() -> Path:
    """The worker script, written once per process to a folder of its own, which is removed
    when the process exits."""
    folder = Path(tempfile.mkdtemp(prefix="cdk-front-door-node-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "worker.cjs"
    path.write_text(SOURCE, encoding="utf-8")
    return path
