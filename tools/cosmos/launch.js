#!/usr/bin/env node
// Cosmos SQL API test server for the integration tests: `node launch.js <port> [host]` (port 0 =
// a free one). Prints `LISTENING <port>` once ready; exits when stdin closes or on SIGTERM/SIGINT,
// so a test run that dies cannot leave it behind. keepAlive avoids a TLS handshake per request.
"use strict";

const lib = "@vercel/cosmosdb-server/lib";
const readDocument = require(`${lib}/handler/read-document`);
const { readOperation } = require(`${lib}/handler/_document-operations`);
const { default: partitionHeader } = require(`${lib}/utils/get-partition-from-header`);
const batchHandler = require(`${lib}/handler/batch-documents`);
const { batchDocuments } = require("./batch");
const patchFilter = require("./patch-filter");
const ttl = require("./ttl");

// 1.0.1 answers a point read of a missing document with a 500 (it dereferences the missing
// document); Cosmos answers 404. Patched before the router captures the handler.
const readExisting = readDocument.default;
readDocument.default = (account, req, res, params) => {
  const collection = account.database(params.dbId).collection(params.collId);
  const partitionKey = partitionHeader(req);
  if (collection.read() && partitionKey !== undefined) {
    const result = readOperation(collection, { partitionKey, id: params.docId });
    if (result.statusCode === 404) {
      res.statusCode = 404;
      return result.body;
    }
  }
  return readExisting(account, req, res, params);
};

// Transactional batches and patch filter predicates with Cosmos semantics (see batch.js and
// patch-filter.js for what 1.0.1 gets wrong), also installed before the router is built.
batchHandler.default = batchDocuments;
patchFilter.install();
// Time to live (see ttl.js): 1.0.1 stores a container's defaultTtl and ignores it.
ttl.install();

const { createHttpsServer } = require("@vercel/cosmosdb-server");

const port = Number.parseInt(process.argv[2] ?? "0", 10);
const host = process.argv[3] ?? "127.0.0.1";
const server = createHttpsServer({ keepAlive: true });
server.keepAliveTimeout = 60_000;

server.listen(port, host, () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});

// Exit at once: the data lives in memory only, and server.close() can wait on a connection that
// is still in its TLS handshake.
function shutdown() {
  process.exit(0);
}

process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
process.stdin.on("end", shutdown);
process.stdin.resume();
