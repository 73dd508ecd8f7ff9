// Time to live as Cosmos applies it, which @vercel/cosmosdb-server 1.0.1 lacks: a container's
// `defaultTtl` turns expiry on (-1: on, with no default), an item's `ttl` overrides it (-1: never),
// and an item whose `_ts + ttl` has passed is gone for every read, query and write. Cosmos deletes
// expired items in the background; here every operation on a container with a TTL first deletes
// what has expired, so none of them can see it.
"use strict";

const { default: Documents } = require("@vercel/cosmosdb-server/lib/account/documents");

function expired(item, defaultTtl, now) {
  const ttl = item.ttl ?? defaultTtl;
  return Number.isInteger(ttl) && ttl > 0 && item._ts + ttl <= now;
}

function sweep(documents) {
  const collection = documents._parent.read();
  const defaultTtl = collection ? collection.defaultTtl : undefined;
  if (defaultTtl === undefined || defaultTtl === null || documents._sweeping) return;
  const now = Date.now() / 1e3;
  const gone = [...documents._data.values()]
    .map((item) => item.read())
    .filter((data) => data && expired(data, defaultTtl, now));
  documents._sweeping = true; // delete() looks the item up again through _item()
  try {
    for (const data of gone) documents.delete(data.id, documents._getPartition(data));
  } finally {
    documents._sweeping = false;
  }
}

function install() {
  for (const name of ["_item", "create", "query", "read", "upsert"]) {
    const original = Documents.prototype[name];
    Documents.prototype[name] = function swept(...args) {
      sweep(this);
      return original.apply(this, args);
    };
  }
}

module.exports = { install };
