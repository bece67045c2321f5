"use strict";
// fako's entry point for jsii's kernel: one Node process instead of two.
//
// jsii's own entry point (bin/jsii-runtime.js) starts a second Node running
// lib/program.js, which reads requests from and writes answers to its fd 3, and relays
// between that fd and its own stdin and stdout, wrapping the child's stdout and stderr
// as {"stdout"|"stderr": base64} lines on stderr. Here lib/program.js runs in this
// process instead: its reads of fd 3 go to stdin, its writes to stdout, and what
// JavaScript code prints on stdout is wrapped as the relay wraps it, so it cannot mix
// with the answers. fako sets JSII_RUNTIME to this file only when the program still
// reads fd 3 that way (fako._jsii checks), and FAKO_JSII_PROGRAM to its path.
const fs = require("fs");
const path = require("path");
const workers = require("worker_threads");

const program = process.env.FAKO_JSII_PROGRAM;
const API_FD = 3;
const readSync = fs.readSync;
const writeSync = fs.writeSync;

fs.readSync = function (fd, ...rest) {
  return readSync.call(this, fd === API_FD ? 0 : fd, ...rest);
};
fs.writeSync = function (fd, ...rest) {
  return writeSync.call(this, fd === API_FD ? 1 : fd, ...rest);
};

process.stdout.write = function (chunk, encoding, callback) {
  const data = Buffer.isBuffer(chunk)
    ? chunk
    : Buffer.from(String(chunk), typeof encoding === "string" ? encoding : "utf8");
  writeSync(2, JSON.stringify({ stdout: data.toString("base64") }) + "\n");
  const done = typeof encoding === "function" ? encoding : callback;
  if (typeof done === "function") done();
  return true;
};

// the wheel stores lib/runtime-index-worker.js as lib__runtime-index-worker.js beside
// lib__program.js; the program starts it by its unpacked name
const Worker = workers.Worker;
workers.Worker = class extends Worker {
  constructor(file, options) {
    const unpacked = typeof file === "string" && path.basename(file) === "runtime-index-worker.js";
    super(unpacked ? path.join(path.dirname(program), "lib__runtime-index-worker.js") : file, options);
  }
};

require(program);
