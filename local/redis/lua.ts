/**
 * A Redis-flavoured Lua sandbox on fengari (Lua 5.3 in JavaScript) for the in-memory engine.
 *
 * ioredis-mock has its own EVAL, but it does not behave like Redis where it matters to real scripts:
 * tables mixing numbers and strings come back as `undefined`, `{err=…}` / `redis.error_reply` are not
 * turned into errors, `redis.call` failures do not abort the script, floats are not truncated to
 * integers, and `#!lua` shebangs do not compile. So scripts run here instead, following the
 * conversion rules of https://redis.io/docs/latest/develop/interact/programmability/lua-api/ and the
 * error texts of Redis 7.0 (checked against a real server):
 *
 * - Redis → Lua: integer → number, bulk string → string, nil → false, array → table,
 *   status → `{ok=…}`, error → raised (`redis.call`) or returned as `{err=…}` (`redis.pcall`).
 * - Lua → Redis: number → integer (truncated), string → bulk, true → 1, false/nil → nil,
 *   `{err=…}` → error reply, `{ok=…}` → status, other tables → array up to the first nil.
 * - Globals are read-only; reading an undefined global is an error (both like Redis 7).
 *
 * Known gaps (Lua 5.3 vs Redis' 5.1): string concatenation of a float prints `1.0` where Redis prints
 * `1` (`tostring` is patched to match 5.1), integers above 2^31 are floats (fengari uses 32-bit
 * integers; precision is kept up to 2^53), and only the base/table/string/math libraries plus
 * `cjson.encode`/`cjson.decode` are loaded (no `bit`, `struct`, `cmsgpack`).
 */
import { createHash } from 'node:crypto';
import fengari, { type LuaJsFunction, type LuaState } from 'fengari';
import { cjsonDecode, cjsonEncode } from './lua-cjson';
import { CHUNK_NAME, MAX_DEPTH, S, currentLine, formatG14, pushNumber, pushString, raise, toJs } from './lua-util';
import { RedisError, StatusReply, type Reply } from './types';

const { lua, lauxlib, lualib, to_luastring } = fengari;

/** Executes a command on behalf of `redis.call` / `redis.pcall`; throws `RedisError`. */
export type ScriptCall = (args: string[]) => Reply;

export interface ScriptRun {
  /** Lua source without the shebang line. */
  body: string;
  /** SHA1 of the original script, for error messages. */
  sha: string;
  keys: string[];
  argv: string[];
  call: ScriptCall;
}

/** Compiles without running, to reject bad scripts at SCRIPT LOAD like Redis does. */
export function checkScriptSyntax(body: string): void {
  const L = lauxlib.luaL_newstate();
  try {
    compile(L, body);
  } finally {
    lua.lua_close(L);
  }
}

/** Runs a script to completion and converts its result to a reply. Throws `RedisError`. */
export function runScript(run: ScriptRun): Reply {
  const L = lauxlib.luaL_newstate();
  try {
    openSandbox(L, run);
    lua.lua_pushjsfunction(L, messageHandler);
    const handlerIndex = lua.lua_gettop(L);
    compile(L, run.body);
    if (lua.lua_pcall(L, 0, 1, handlerIndex) !== lua.LUA_OK) {
      // The message handler turned whatever was raised into {err=…, line=…}.
      const message = stringField(L, -1, 'err') ?? 'ERR unknown error';
      const line = lua.lua_getfield(L, -1, S('line')) === lua.LUA_TNUMBER ? lua.lua_tointeger(L, -1) : '?';
      throw new RedisError(`${message} script: ${run.sha}, on @user_script:${line}.`);
    }
    // A returned {err=…} (e.g. redis.error_reply) is an error reply as is, without the script suffix.
    if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
      const error = stringField(L, -1, 'err');
      if (error !== undefined) throw new RedisError(error);
    }
    return toReply(L, lua.lua_gettop(L), 0);
  } finally {
    lua.lua_close(L);
  }
}

function compile(L: LuaState, body: string): void {
  const code = to_luastring(body);
  // Mode "t": source only. Redis refuses precompiled bytecode as well.
  if (lauxlib.luaL_loadbufferx(L, code, code.length, S(CHUNK_NAME), S('t')) !== lua.LUA_OK) {
    // Lua 5.3 says "near <eof>" where Redis' Lua 5.1 says "near '<eof>'".
    const message = toJs(L, -1).replace(/ near <eof>$/, " near '<eof>'");
    throw new RedisError(`ERR Error compiling script (new function): ${message}`);
  }
}

/**
 * Runs where the error happened (before the stack unwinds), so it can record the script line; Redis
 * reports it as "on @user_script:<line>". Normalises every error to a table {err=…, line=…}.
 */
const messageHandler: LuaJsFunction = (L) => {
  const line = currentLine(L);
  if (lua.lua_type(L, 1) === lua.LUA_TTABLE) {
    if (lua.lua_getfield(L, 1, S('line')) !== lua.LUA_TNUMBER && line !== undefined) {
      lua.lua_pushinteger(L, line);
      lua.lua_setfield(L, 1, S('line'));
    }
    lua.lua_settop(L, 1);
    return 1;
  }
  const type = lua.lua_type(L, 1);
  const text = type === lua.LUA_TSTRING || type === lua.LUA_TNUMBER ? toJs(L, 1) : 'unknown error';
  pushErrorTable(L, `ERR ${text}`, line);
  return 1;
};

function openSandbox(L: LuaState, run: ScriptRun): void {
  // A JavaScript exception inside one of our functions would otherwise leave fengari in an undefined
  // state; turn it into an ordinary Lua error instead.
  lua.lua_atnativeerror(L, (L) => {
    const error = lua.lua_touserdata(L, -1);
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RedisError) pushErrorTable(L, message, currentLine(L));
    else pushString(L, message);
    return 1;
  });
  const libraries: [string, LuaJsFunction][] = [
    ['_G', lualib.luaopen_base],
    ['table', lualib.luaopen_table],
    ['string', lualib.luaopen_string],
    ['math', lualib.luaopen_math],
  ];
  for (const [name, open] of libraries) {
    lauxlib.luaL_requiref(L, S(name), open, 1);
    lua.lua_pop(L, 1);
  }

  lua.lua_createtable(L, 0, 24);
  setFunction(L, 'call', redisCall(run.call, true));
  setFunction(L, 'pcall', redisCall(run.call, false));
  setFunction(L, 'sha1hex', (L) => {
    const bytes = lua.lua_tolstring(L, 1);
    if (lua.lua_gettop(L) !== 1 || !bytes) return raise(L, 'wrong number of arguments');
    lua.lua_pushstring(L, to_luastring(createHash('sha1').update(bytes).digest('hex')));
    return 1;
  });
  setFunction(L, 'error_reply', (L) => replyTable(L, 'err'));
  setFunction(L, 'status_reply', (L) => replyTable(L, 'ok'));
  setFunction(L, 'setresp', (L) => {
    const version = lua.lua_tonumber(L, 1);
    // Accepted, but replies keep their RESP2 shape inside the script.
    return version === 2 || version === 3 ? 0 : raise(L, 'RESP version must be 2 or 3.');
  });
  setFunction(L, 'replicate_commands', (L) => {
    lua.lua_pushboolean(L, true);
    return 1;
  });
  for (const name of ['log', 'set_repl', 'debug', 'breakpoint']) setFunction(L, name, () => 0);
  const constants: Record<string, number> = {
    LOG_DEBUG: 0, LOG_VERBOSE: 1, LOG_NOTICE: 2, LOG_WARNING: 3,
    REPL_NONE: 0, REPL_AOF: 1, REPL_SLAVE: 2, REPL_REPLICA: 2, REPL_ALL: 3,
  };
  for (const [name, value] of Object.entries(constants)) {
    lua.lua_pushinteger(L, value);
    lua.lua_setfield(L, -2, S(name));
  }
  lua.lua_setglobal(L, S('redis'));

  lua.lua_createtable(L, 0, 2);
  setFunction(L, 'encode', cjsonEncode);
  setFunction(L, 'decode', cjsonDecode);
  lua.lua_setglobal(L, S('cjson'));

  pushStringArray(L, run.keys);
  lua.lua_setglobal(L, S('KEYS'));
  pushStringArray(L, run.argv);
  lua.lua_setglobal(L, S('ARGV'));

  const prelude = to_luastring(PRELUDE);
  if (
    lauxlib.luaL_loadbufferx(L, prelude, prelude.length, S('=prelude'), S('t')) !== lua.LUA_OK ||
    lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK
  ) {
    throw new Error(`Lua prelude failed: ${toJs(L, -1)}`);
  }
}

/** Lua 5.1 compatibility and Redis 7's global protection, applied after all globals are defined. */
const PRELUDE = `
local _pcall, _tostring, type, format, mathtype, error = pcall, tostring, type, string.format, math.type, error
unpack = table.unpack
loadstring = load
table.getn = function(t) return #t end
dofile, loadfile = nil, nil
print = function() end
-- Redis 7.0 hands pcall the message of an error raised by redis.call, not the {err=...} table.
pcall = function(...)
  local r = table.pack(_pcall(...))
  if not r[1] and type(r[2]) == 'table' and type(r[2].err) == 'string' then r[2] = r[2].err end
  return table.unpack(r, 1, r.n)
end
-- Lua 5.1 (Redis) prints floats with %.14g: tostring(10/2) is "5", not "5.0".
tostring = function(v)
  if mathtype(v) == 'float' then return format('%.14g', v) end
  return _tostring(v)
end
setmetatable(_G, {
  __index = function(_, name)
    error("Script attempted to access nonexistent global variable '" .. _tostring(name) .. "'", 2)
  end,
  __newindex = function() error('Attempt to modify a readonly table', 2) end,
  __metatable = false,
})
`;

function redisCall(call: ScriptCall, raiseErrors: boolean): LuaJsFunction {
  return (L) => {
    const argc = lua.lua_gettop(L);
    let error: string | undefined;
    let reply: Reply = null;
    if (argc === 0) {
      error = 'ERR Please specify at least one argument for this redis lib call';
    } else {
      const args: string[] = [];
      for (let i = 1; i <= argc && error === undefined; i++) {
        const type = lua.lua_type(L, i);
        if (type === lua.LUA_TSTRING) args.push(toJs(L, i));
        else if (type === lua.LUA_TNUMBER) args.push(luaNumberToString(L, i));
        else error = 'ERR Lua redis lib command arguments must be strings or integers';
      }
      if (error === undefined) {
        try {
          reply = call(args);
        } catch (e) {
          error = e instanceof RedisError ? e.message : `ERR ${e instanceof Error ? e.message : String(e)}`;
        }
      }
    }
    if (error !== undefined) {
      pushErrorTable(L, error, raiseErrors ? currentLine(L) : undefined);
      return raiseErrors ? lua.lua_error(L) : 1;
    }
    pushReply(L, reply, 0);
    return 1;
  };
}

function replyTable(L: LuaState, field: 'err' | 'ok'): number {
  if (lua.lua_type(L, 1) !== lua.LUA_TSTRING) return raise(L, 'wrong number or type of arguments');
  lua.lua_createtable(L, 0, 1);
  lua.lua_pushvalue(L, 1);
  lua.lua_setfield(L, -2, S(field));
  return 1;
}

function pushErrorTable(L: LuaState, message: string, line: number | undefined): void {
  lua.lua_createtable(L, 0, 2);
  pushString(L, message);
  lua.lua_setfield(L, -2, S('err'));
  if (line !== undefined) {
    lua.lua_pushinteger(L, line);
    lua.lua_setfield(L, -2, S('line'));
  }
}

function setFunction(L: LuaState, name: string, fn: LuaJsFunction): void {
  lua.lua_pushjsfunction(L, fn);
  lua.lua_setfield(L, -2, S(name));
}

function pushStringArray(L: LuaState, items: string[]): void {
  lua.lua_createtable(L, items.length, 0);
  items.forEach((item, i) => {
    pushString(L, item);
    lua.lua_rawseti(L, -2, i + 1);
  });
}

function pushReply(L: LuaState, reply: Reply, depth: number): void {
  if (depth > MAX_DEPTH || !lua.lua_checkstack(L, 4)) throw new RedisError('ERR reached lua stack limit');
  if (reply === null) lua.lua_pushboolean(L, false);
  else if (typeof reply === 'number') pushNumber(L, reply);
  else if (typeof reply === 'string') pushString(L, reply);
  else if (Buffer.isBuffer(reply)) lua.lua_pushstring(L, new Uint8Array(reply));
  else if (reply instanceof StatusReply) {
    lua.lua_createtable(L, 0, 1);
    pushString(L, reply.value);
    lua.lua_setfield(L, -2, S('ok'));
  } else {
    lua.lua_createtable(L, reply.length, 0);
    reply.forEach((item, i) => {
      pushReply(L, item, depth + 1);
      lua.lua_rawseti(L, -2, i + 1);
    });
  }
}

function toReply(L: LuaState, index: number, depth: number): Reply {
  if (depth > MAX_DEPTH) throw new RedisError('ERR reached lua stack limit');
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TNUMBER) {
    if (lua.lua_isinteger(L, index)) return lua.lua_tointeger(L, index);
    const n = Math.trunc(lua.lua_tonumber(L, index));
    // Out-of-range doubles become INT64_MIN in Redis (a C cast); keep that rather than NaN/Infinity.
    return Number.isFinite(n) && Math.abs(n) < 2 ** 63 ? n : -(2 ** 63);
  }
  if (type === lua.LUA_TSTRING) return toJs(L, index);
  if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index) ? 1 : null;
  if (type !== lua.LUA_TTABLE) return null;
  // A nested {err=…} would be an error element inside an array; JSON has no such thing, keep its text.
  const error = stringField(L, index, 'err');
  if (error !== undefined) return error;
  const status = stringField(L, index, 'ok');
  if (status !== undefined) return new StatusReply(status);
  const items: Reply[] = [];
  for (let i = 1; ; i++) {
    if (lua.lua_rawgeti(L, index, i) === lua.LUA_TNIL) {
      lua.lua_pop(L, 1);
      return items;
    }
    items.push(toReply(L, lua.lua_gettop(L), depth + 1));
    lua.lua_pop(L, 1);
  }
}

function stringField(L: LuaState, index: number, name: string): string | undefined {
  const type = lua.lua_getfield(L, index, S(name));
  const value = type === lua.LUA_TSTRING ? toJs(L, -1) : undefined;
  lua.lua_pop(L, 1);
  return value;
}

/** How Lua 5.1 turns a number into a command argument (`%.14g`). */
function luaNumberToString(L: LuaState, index: number): string {
  return lua.lua_isinteger(L, index) ? String(lua.lua_tointeger(L, index)) : formatG14(lua.lua_tonumber(L, index));
}
