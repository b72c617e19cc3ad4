/**
 * Minimal typings for the parts of fengari (Lua 5.3 in JavaScript) that lua.ts uses. fengari ships no
 * types; it is installed as a dependency of ioredis-mock.
 */
declare module 'fengari' {
  /** An opaque Lua state. */
  export interface LuaState {
    readonly __luaState: unique symbol;
  }
  /** Lua strings are byte arrays. */
  export type LuaString = Uint8Array;
  export type LuaJsFunction = (L: LuaState) => number;

  export interface LuaDebug {
    currentline: number;
    /** Chunk name, e.g. "@user_script" (filled by lua_getinfo with "S"). */
    source: LuaString | null;
  }

  interface Lua {
    LUA_OK: number;
    LUA_TNIL: number;
    LUA_TBOOLEAN: number;
    LUA_TNUMBER: number;
    LUA_TSTRING: number;
    LUA_TTABLE: number;
    lua_Debug: new () => LuaDebug;
    lua_close(L: LuaState): void;
    lua_gettop(L: LuaState): number;
    lua_settop(L: LuaState, index: number): void;
    lua_pop(L: LuaState, n: number): void;
    lua_pushvalue(L: LuaState, index: number): void;
    lua_type(L: LuaState, index: number): number;
    lua_isinteger(L: LuaState, index: number): boolean;
    lua_tointeger(L: LuaState, index: number): number;
    lua_tonumber(L: LuaState, index: number): number;
    lua_toboolean(L: LuaState, index: number): boolean;
    lua_tolstring(L: LuaState, index: number): LuaString | null;
    lua_pushnil(L: LuaState): void;
    lua_pushboolean(L: LuaState, b: boolean): void;
    lua_pushinteger(L: LuaState, n: number): void;
    lua_pushnumber(L: LuaState, n: number): void;
    lua_pushstring(L: LuaState, s: LuaString): LuaString;
    lua_pushjsfunction(L: LuaState, fn: LuaJsFunction): void;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_rawgeti(L: LuaState, index: number, n: number): number;
    lua_rawseti(L: LuaState, index: number, n: number): void;
    lua_getfield(L: LuaState, index: number, key: LuaString): number;
    lua_setfield(L: LuaState, index: number, key: LuaString): void;
    lua_setglobal(L: LuaState, name: LuaString): void;
    lua_next(L: LuaState, index: number): number;
    lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
    lua_error(L: LuaState): never;
    lua_atnativeerror(L: LuaState, handler: LuaJsFunction): void;
    lua_touserdata(L: LuaState, index: number): unknown;
    lua_checkstack(L: LuaState, n: number): boolean;
    lua_getstack(L: LuaState, level: number, ar: LuaDebug): boolean;
    lua_getinfo(L: LuaState, what: LuaString, ar: LuaDebug): boolean;
  }

  interface LuaAuxLib {
    luaL_newstate(): LuaState;
    luaL_requiref(L: LuaState, name: LuaString, open: LuaJsFunction, global: number): void;
    luaL_loadbufferx(L: LuaState, buffer: LuaString, size: number, name: LuaString, mode: LuaString | null): number;
  }

  interface LuaLib {
    luaopen_base: LuaJsFunction;
    luaopen_table: LuaJsFunction;
    luaopen_string: LuaJsFunction;
    luaopen_math: LuaJsFunction;
  }

  const fengari: {
    lua: Lua;
    lauxlib: LuaAuxLib;
    lualib: LuaLib;
    to_luastring(s: string, cache?: boolean): LuaString;
  };
  export default fengari;
}
