/**
 * The part of Redis' `cjson` library that scripts use: `cjson.encode` and `cjson.decode`.
 */
import fengari, { type LuaJsFunction, type LuaState } from 'fengari';
import { MAX_DEPTH, formatG14, pushNumber, pushString, raise, toJs } from './lua-util';
import { RedisError } from './types';

const { lua, to_luastring } = fengari;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const cjsonEncode: LuaJsFunction = (L) => {
  let json: string;
  try {
    json = JSON.stringify(luaToJson(L, 1, 0));
  } catch (e) {
    return raise(L, e instanceof Error ? e.message : String(e));
  }
  pushString(L, json);
  return 1;
};

export const cjsonDecode: LuaJsFunction = (L) => {
  let value: Json;
  try {
    value = JSON.parse(toJs(L, 1)) as Json;
  } catch {
    return raise(L, 'Expected value but found invalid token at character 1');
  }
  pushJson(L, value);
  return 1;
};

function luaToJson(L: LuaState, index: number, depth: number): Json {
  if (depth > MAX_DEPTH) throw new Error(`Cannot serialise, excessive nesting (${depth})`);
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TNIL) return null;
  if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index);
  if (type === lua.LUA_TSTRING) return toJs(L, index);
  if (type === lua.LUA_TNUMBER) {
    const n = lua.lua_tonumber(L, index);
    if (!Number.isFinite(n)) throw new Error('Cannot serialise number: must not be NaN or Infinity');
    return n;
  }
  if (type !== lua.LUA_TTABLE) throw new Error('Cannot serialise value: type not supported');
  const entries: [string | number, Json][] = [];
  lua.lua_pushnil(L);
  while (lua.lua_next(L, index) !== 0) {
    const keyType = lua.lua_type(L, -2);
    // Keys are read without lua_tolstring, which would convert them in place and break lua_next.
    let key: string | number;
    if (keyType === lua.LUA_TNUMBER) key = lua.lua_tonumber(L, -2);
    else if (keyType === lua.LUA_TSTRING) key = toJs(L, -2);
    else throw new Error('Cannot serialise table: table key must be a number or string');
    entries.push([key, luaToJson(L, lua.lua_gettop(L), depth + 1)]);
    lua.lua_pop(L, 1);
  }
  // Like cjson: a table whose keys are exactly 1..n is an array; an empty table is an object.
  const isArray =
    entries.length > 0 &&
    entries.every(([k]) => typeof k === 'number' && Number.isInteger(k) && k >= 1 && k <= entries.length);
  if (isArray) {
    const array: Json[] = new Array<Json>(entries.length);
    for (const [k, v] of entries) array[(k as number) - 1] = v;
    return array;
  }
  const object: { [key: string]: Json } = {};
  for (const [k, v] of entries) object[typeof k === 'number' ? formatG14(k) : k] = v;
  return object;
}

function pushJson(L: LuaState, value: Json): void {
  if (!lua.lua_checkstack(L, 4)) throw new RedisError('ERR reached lua stack limit');
  if (value === null) lua.lua_pushnil(L);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') pushNumber(L, value);
  else if (typeof value === 'string') pushString(L, value);
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      pushJson(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else {
    const entries = Object.entries(value);
    lua.lua_createtable(L, 0, entries.length);
    for (const [k, v] of entries) {
      pushJson(L, v);
      lua.lua_setfield(L, -2, to_luastring(k));
    }
  }
}
