// pglite-socket serves every connection from one PGlite backend, one protocol message at a time,
// and keeps a connection's messages together only inside an explicit transaction. Outside one,
// an extended-protocol query (Parse, Bind, Describe, Execute … Sync) could be cut by another
// connection's Parse, which replaces the unnamed statement under it: "bind message supplies 3
// parameters, but prepared statement "" requires 1003" (a rescore reading one page while writing
// the previous). Postgres gives each connection its own backend; this keeps a connection's
// messages together until its Sync, as if it did. Its queue also stopped for good when PGlite
// itself threw on a message (not a SQL error, which is an answer; its busy flag was never
// cleared): here the next message still runs.
// Written against @electric-sql/pglite-socket 0.2.17 (pinned in package.json).

const code = (c) => c.charCodeAt(0);
/** Messages of an extended query: from the first of them, the connection holds the backend until Sync. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map(code));
/** Messages that end whatever the connection had open: Sync, a simple Query, Terminate. */
const ENDS = new Set(['S', 'Q', 'X'].map(code));

/** Replaces the server's queue scheduling (`server.queryQueue`) with one that respects query boundaries. */
export function keepQueriesWhole(queue) {
  let holder = null; // the handler whose extended query is between its first message and its Sync

  queue.processQueue = async function processQueue() {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        // A connection mid-query, or in a transaction, keeps the backend: wait for its next message.
        const owner = holder ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        let item;
        if (owner !== null && owner !== undefined) {
          const at = this.queue.findIndex((q) => q.handlerId === owner);
          if (at === -1) break; // enqueue() runs the queue again when that message arrives
          item = this.queue.splice(at, 1)[0];
        } else {
          item = this.queue.shift();
        }
        const type = item.message[0];
        if (EXTENDED.has(type)) holder = item.handlerId;
        else if (ENDS.has(type)) holder = null;
        let bytes = 0;
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(item.message, { onRawData: (data) => ((bytes += data.length), item.onData(data)) }));
        } catch (err) {
          item.reject(err);
          continue;
        } finally {
          this.lastHandlerId = item.handlerId;
        }
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  // A connection that goes away mid-query must not keep the backend.
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    clear(handlerId);
    if (holder === handlerId) {
      holder = null;
      void queue.processQueue();
    }
  };
}
