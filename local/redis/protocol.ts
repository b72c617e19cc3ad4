/**
 * The JSON side of the Upstash REST protocol: request bodies to command arguments, replies to JSON.
 */
import { StatusReply, type PipelineEntry, type Reply } from './types';

/** A malformed request (answered with HTTP 400 and this message). */
export class BadRequest extends Error {
  override name = 'BadRequest';
}

type Json = string | number | null | Json[];

/**
 * One command, e.g. `["set","k","v","ex",60]`. @upstash/redis passes numbers and booleans through as
 * JSON values (its serializer only stringifies objects), and Redis wants every argument as a string.
 */
export function parseCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadRequest('ERR the request body must be a non-empty JSON array: ["command", ...args]');
  }
  return value.map((arg: unknown, i) => {
    if (typeof arg === 'string') return arg;
    if ((typeof arg === 'number' && Number.isFinite(arg)) || typeof arg === 'boolean') return String(arg);
    throw new BadRequest(`ERR argument ${i} must be a string, a number or a boolean`);
  });
}

/** A `/pipeline` or `/multi-exec` body: `[["set","a","1"],["get","a"]]`. */
export function parseCommandList(value: unknown): string[][] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadRequest('ERR the request body must be a non-empty JSON array of commands');
  }
  return value.map((command: unknown, i) => {
    try {
      return parseCommand(command);
    } catch (error) {
      throw new BadRequest(`ERR command ${i + 1}: ${(error as Error).message.replace(/^ERR /, '')}`);
    }
  });
}

/**
 * The JSON `result` of a reply. With `Upstash-Encoding: base64` every string is sent as base64 of its
 * bytes (so binary and non-ASCII values survive JSON), except a top-level "OK", which Upstash sends
 * as is and @upstash/redis passes through untouched. Strings inside arrays are always encoded: the
 * client base64-decodes every one of them, so a raw nested "OK" would come out as garbage ("8").
 */
export function encodeResult(reply: Reply, base64: boolean): Json {
  if (base64 && isOk(reply)) return 'OK';
  return encode(reply, base64);
}

export function encodeEntries(entries: PipelineEntry[], base64: boolean): ({ result: Json } | { error: string })[] {
  return entries.map((entry) => ('error' in entry ? { error: entry.error } : { result: encodeResult(entry.result, base64) }));
}

function encode(reply: Reply, base64: boolean): Json {
  if (reply === null || typeof reply === 'number') return reply;
  if (Array.isArray(reply)) return reply.map((item) => encode(item, base64));
  const text = reply instanceof StatusReply ? reply.value : reply;
  if (!base64) return typeof text === 'string' ? text : text.toString('utf8');
  return (typeof text === 'string' ? Buffer.from(text, 'utf8') : text).toString('base64');
}

function isOk(reply: Reply): boolean {
  if (reply instanceof StatusReply) return reply.value === 'OK';
  if (typeof reply === 'string') return reply === 'OK';
  return Buffer.isBuffer(reply) && reply.length === 2 && reply.toString('latin1') === 'OK';
}
