/**
 * Small helpers shared by the Lua sandbox (lua.ts) and its cjson module (lua-cjson.ts).
 */
import fengari, { type LuaState } from 'fengari';

const { lua, to_luastring } = fengari;

/** Interned Lua string for a constant name. */
export const S = (name: string) => to_luastring(name, true);

/** Redis names the chunk `@user_script`, which shows up in every error message. */
export const CHUNK_NAME = '@user_script';

export const MAX_DEPTH = 1000;

/** Line of the innermost frame running the user's script (not our prelude, not JavaScript). */
export function currentLine(L: LuaState): number | undefined {
  const ar = new lua.lua_Debug();
  for (let level = 1; lua.lua_getstack(L, level, ar); level++) {
    lua.lua_getinfo(L, S('Sl'), ar);
    const source = ar.source ? Buffer.from(ar.source).toString('utf8') : '';
    if (ar.currentline > 0 && source === CHUNK_NAME) return ar.currentline;
  }
  return undefined;
}

/** Raises a Lua error with a position prefix, like luaL_error. */
export function raise(L: LuaState, message: string): never {
  const line = currentLine(L);
  pushString(L, line === undefined ? message : `user_script:${line}: ${message}`);
  return lua.lua_error(L);
}

export function pushString(L: LuaState, text: string): void {
  lua.lua_pushstring(L, to_luastring(text));
}

/** Lua strings are bytes; the in-memory engine works on UTF-8 text. */
export function toJs(L: LuaState, index: number): string {
  const bytes = lua.lua_tolstring(L, index);
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : '';
}

/** fengari integers are 32-bit, so larger Redis integers become (exact up to 2^53) floats. */
export function pushNumber(L: LuaState, n: number): void {
  if (Number.isInteger(n) && Math.abs(n) <= 0x7fffffff) lua.lua_pushinteger(L, n);
  else lua.lua_pushnumber(L, n);
}

/** C's `%.14g`: how Lua 5.1 (Redis) turns a float into a string. */
export function formatG14(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  const [mantissa = '', exponentText = '0'] = x.toExponential(13).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 14) {
    return `${trim(mantissa)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return trim(x.toFixed(13 - exponent));
}
