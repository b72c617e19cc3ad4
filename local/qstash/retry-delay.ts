// `Upstash-Retry-Delay` is a small math expression in milliseconds over the variable
// `retried` (retries performed so far: 0 when computing the delay before the first
// retry). QStash documents + - * / ( ), numbers and pow/sqrt/abs/exp/floor/ceil/round/
// min/max. Parsed here by hand so no user input ever reaches eval/Function.

type Expr = (retried: number) => number;

const FUNCTIONS: Record<string, { arity: [number, number]; fn: (...args: number[]) => number }> = {
  pow: { arity: [2, 2], fn: (a, b) => Math.pow(a!, b!) },
  sqrt: { arity: [1, 1], fn: (a) => Math.sqrt(a!) },
  abs: { arity: [1, 1], fn: (a) => Math.abs(a!) },
  exp: { arity: [1, 1], fn: (a) => Math.exp(a!) },
  floor: { arity: [1, 1], fn: (a) => Math.floor(a!) },
  ceil: { arity: [1, 1], fn: (a) => Math.ceil(a!) },
  round: { arity: [1, 1], fn: (a) => Math.round(a!) },
  min: { arity: [1, Infinity], fn: (...args) => Math.min(...args) },
  max: { arity: [1, Infinity], fn: (...args) => Math.max(...args) },
};

type Token = { kind: 'num'; value: number } | { kind: 'id'; value: string } | { kind: 'op'; value: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d*)?|\.\d+)|([A-Za-z_]\w*)|([-+*/%(),]))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new Error(`unexpected character at position ${pos}`);
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', value: m[2] });
    else tokens.push({ kind: 'op', value: m[3]! });
    pos = re.lastIndex;
  }
  return tokens;
}

export function compileRetryDelay(src: string): Expr {
  const tokens = tokenize(src);
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (v: string) => {
    const t = tokens[i];
    return t?.kind === 'op' && t.value === v;
  };
  const expectOp = (v: string) => {
    if (!isOp(v)) throw new Error(`expected "${v}"`);
    i++;
  };

  const primary = (): Expr => {
    const t = peek();
    if (!t) throw new Error('unexpected end of expression');
    i++;
    if (t.kind === 'num') return () => t.value;
    if (t.kind === 'op' && t.value === '(') {
      const inner = additive();
      expectOp(')');
      return inner;
    }
    if (t.kind === 'id') {
      if (t.value === 'retried' && !isOp('(')) return (r) => r;
      const def = FUNCTIONS[t.value];
      if (!def) throw new Error(`unknown identifier "${t.value}"`);
      expectOp('(');
      const args: Expr[] = [];
      if (!isOp(')')) {
        args.push(additive());
        while (isOp(',')) {
          i++;
          args.push(additive());
        }
      }
      expectOp(')');
      if (args.length < def.arity[0] || args.length > def.arity[1]) {
        throw new Error(`${t.value}() takes ${def.arity[0]}${def.arity[1] === def.arity[0] ? '' : '+'} argument(s)`);
      }
      return (r) => def.fn(...args.map((a) => a(r)));
    }
    throw new Error(`unexpected "${t.value}"`);
  };

  const unary = (): Expr => {
    if (isOp('-')) {
      i++;
      const inner = unary();
      return (r) => -inner(r);
    }
    if (isOp('+')) {
      i++;
      return unary();
    }
    return primary();
  };

  const multiplicative = (): Expr => {
    let left = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = (tokens[i++] as { value: string }).value;
      const l = left;
      const right = unary();
      left = op === '*' ? (r) => l(r) * right(r) : op === '/' ? (r) => l(r) / right(r) : (r) => l(r) % right(r);
    }
    return left;
  };

  const additive = (): Expr => {
    let left = multiplicative();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[i++] as { value: string }).value;
      const l = left;
      const right = multiplicative();
      left = op === '+' ? (r) => l(r) + right(r) : (r) => l(r) - right(r);
    }
    return left;
  };

  if (tokens.length === 0) throw new Error('empty expression');
  const expr = additive();
  if (i !== tokens.length) throw new Error(`unexpected "${String(tokens[i]!.value)}"`);
  const probe = expr(0);
  if (!Number.isFinite(probe)) throw new Error('expression does not evaluate to a finite number');
  return expr;
}
