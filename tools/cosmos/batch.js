// A transactional batch with Cosmos semantics, replacing @vercel/cosmosdb-server 1.0.1's handler
// (which keeps earlier operations after a later one fails, refuses Patch, takes more than 100
// operations, and answers 500 to Read/Replace/Upsert/Delete without a per-operation partition
// key, which the Python SDK never sends). Real Cosmos: all or nothing, in the partition the
// header names, at most 100 operations; the failing operation keeps its status, every other one
// answers 424, and the response is a 207.
"use strict";

const lib = "@vercel/cosmosdb-server/lib";
const ops = require(`${lib}/handler/_document-operations`);
const patches = require(`${lib}/handler/_patch-operations`);
const { default: readJson } = require(`${lib}/json`);
const { default: partitionHeader, parsePartitionKey } = require(
  `${lib}/utils/get-partition-from-header`,
);

const MAX_OPERATIONS = 100;
const WRITES_BODY = new Set(["Create", "Upsert", "Replace"]);

async function batchDocuments(account, req, res, { dbId, collId }) {
  const body = await readJson(req);
  const collection = account.database(dbId).collection(collId);
  if (!collection.read()) {
    res.statusCode = 404;
    return {};
  }
  const header = partitionHeader(req);
  const refusal = batchProblem(body, header);
  if (refusal) {
    res.statusCode = 400;
    return { code: "BadRequest", message: refusal };
  }
  const journal = recordChanges(collection.documents);
  let results;
  try {
    results = runAll(collection, body, header);
  } finally {
    journal.stop();
  }
  const failed = results.findIndex((result) => result.statusCode >= 400);
  if (failed === -1) {
    res.statusCode = 200;
    return results.map(success);
  }
  journal.rollback();
  res.statusCode = 207;
  return body.map((_input, index) =>
    index === failed ? failure(results[index]) : { statusCode: 424, requestCharge: 0 },
  );
}

function batchProblem(body, header) {
  if (!Array.isArray(body)) return "Invalid request body";
  if (body.length === 0 || body.length > MAX_OPERATIONS) {
    return `A transactional batch takes 1 to ${MAX_OPERATIONS} operations, not ${body.length}.`;
  }
  if (header === undefined) return "A transactional batch needs a partition key header.";
  return null;
}

// Runs the operations in order and stops at the first failure (later ones never run).
function runAll(collection, body, header) {
  const results = [];
  for (const input of body) {
    const result = runOne(collection, input || {}, header);
    results.push(result);
    if (result.statusCode >= 400) break;
  }
  return results;
}

function runOne(collection, input, header) {
  const partition = parsePartitionKey(header);
  if (input.partitionKey !== undefined && parsePartitionKey(input.partitionKey) !== partition) {
    return badRequest("Every operation of a batch must use the batch's partition key.");
  }
  const resourceBody = input.resourceBody;
  if (WRITES_BODY.has(input.operationType) && resourceBody && resourceBody.id) {
    if (collection.documents._getPartition(resourceBody) !== partition) {
      return badRequest("PartitionKey extracted from the document doesn't match the header.");
    }
  }
  const scoped = { ...input, partitionKey: header };
  try {
    return dispatch(collection, scoped);
  } catch (error) {
    return badRequest(error.message);
  }
}

function dispatch(collection, input) {
  switch (input.operationType) {
    case "Create":
      return ops.createOperation(collection, input);
    case "Upsert":
      return ops.upsertOperation(collection, input);
    case "Read":
      return ops.readOperation(collection, input);
    case "Delete":
      return ops.deleteOperation(collection, input);
    case "Replace":
      return ops.replaceOperation(collection, input);
    case "Patch":
      return patches.patchOperation(collection, {
        id: input.id,
        partitionKey: input.partitionKey,
        ifMatch: input.ifMatch,
        operations: (input.resourceBody || {}).operations || [],
        condition: (input.resourceBody || {}).condition,
      });
    default:
      return badRequest(`Operation type '${input.operationType}' is not supported in Batch.`);
  }
}

function badRequest(message) {
  return { statusCode: 400, body: { code: "BadRequest", message } };
}

function success(result) {
  const body = result.body && result.body.id ? result.body : undefined;
  return {
    statusCode: result.statusCode,
    requestCharge: 1,
    eTag: body ? body._etag : undefined,
    resourceBody: body,
  };
}

function failure(result) {
  const message = result.body && result.body.message;
  return { statusCode: result.statusCode, requestCharge: 0, message };
}

// Journals the first change to each key of the collection's document maps, so a failed batch
// puts every key back as it was. Node runs the batch without interleaving other requests (no
// await between the operations), so nobody else sees the intermediate state.
function recordChanges(documents) {
  const maps = [documents._data, documents._index].map(journalMap);
  const ridCount = documents._ridCount;
  return {
    rollback() {
      maps.forEach((map) => map.rollback());
      documents._ridCount = ridCount;
    },
    stop() {
      maps.forEach((map) => map.stop());
    },
  };
}

function journalMap(map) {
  const before = new Map();
  const remember = (key) => {
    if (!before.has(key)) before.set(key, map.has(key) ? { value: map.get(key) } : null);
  };
  map.set = (key, value) => {
    remember(key);
    return Map.prototype.set.call(map, key, value);
  };
  map.delete = (key) => {
    remember(key);
    return Map.prototype.delete.call(map, key);
  };
  return {
    rollback() {
      for (const [key, was] of before) {
        if (was) Map.prototype.set.call(map, key, was.value);
        else Map.prototype.delete.call(map, key);
      }
    },
    stop() {
      delete map.set;
      delete map.delete;
    },
  };
}

module.exports = { batchDocuments, MAX_OPERATIONS };
