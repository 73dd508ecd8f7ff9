// Patch filter predicates as Cosmos evaluates them. @vercel/cosmosdb-server 1.0.1 lowercases the
// whole predicate (so `c.State = 'Open'` never matches) and checks it with a query over every
// document with that id, in any partition. This checks it, as written, against the one document
// the patch targets, then lets the server's own patch apply the operations.
"use strict";

const lib = "@vercel/cosmosdb-server/lib";
const patches = require(`${lib}/handler/_patch-operations`);
const { parsePartitionKey } = require(`${lib}/utils/get-partition-from-header`);
const { default: compileQuery } = require("@zeit/cosmosdb-query");

// "from c where <condition>" as the SDKs send it, or "where <condition>".
const PREDICATE = /^\s*(?:from\s+c\s+)?where\s+([\s\S]+)$/i;

function install() {
  const patchExisting = patches.patchOperation;
  patches.patchOperation = (collection, input) => {
    if (!input.condition) return patchExisting(collection, input);
    const partitionKey = parsePartitionKey(input.partitionKey, input.id);
    const doc = collection.document(input.id, partitionKey).read();
    const ifMatchFails = doc && input.ifMatch && input.ifMatch !== doc._etag;
    if (doc && !ifMatchFails) {
      const verdict = satisfies(doc, input.condition);
      if (verdict !== true) return verdict;
    }
    // The server answers 404 / 412 for a missing document or a stale ETag, and patches otherwise.
    return patchExisting(collection, { ...input, condition: undefined });
  };
}

// true, or the answer for a predicate that is false (412) or malformed (400).
function satisfies(doc, condition) {
  const match = PREDICATE.exec(condition);
  if (!match) return badCondition();
  let found;
  try {
    found = compileQuery(`SELECT * FROM c WHERE (${match[1]})`).exec([doc], {}).result;
  } catch {
    return badCondition();
  }
  if (found.length > 0) return true;
  return {
    statusCode: 412,
    body: {
      code: "PreconditionFailed",
      message: "Condition specified in the patch request is not satisfied.",
    },
  };
}

function badCondition() {
  return { statusCode: 400, body: { code: "BadRequest", message: "Invalid condition in patch request." } };
}

module.exports = { install };
