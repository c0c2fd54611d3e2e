/**
 * Where JSON text is not JSON, and why, in one line: the first syntax problem with its line and
 * column. JSON.parse's own messages give no position for some problems (an unexpected token such
 * as NaN) and quote the text around it raw, newlines included; this scanner, run only after
 * JSON.parse has failed, walks the grammar without recursion and names the problem itself.
 */
import { quote } from "@chainrule/core";

/** A JSON syntax problem: 1-based line and column, and what is wrong there. */
export interface JsonProblem {
  readonly line: number;
  readonly column: number;
  readonly problem: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const NON_FINITE: readonly (readonly [string, string])[] = [
  ["NaN", "NaN is not a JSON number: JSON holds finite numbers only"],
  ["-Infinity", "-Infinity is not a JSON number: JSON holds finite numbers only"],
  ["Infinity", "Infinity is not a JSON number: JSON holds finite numbers only"],
];

type State = "value" | "first-value" | "key" | "first-key" | "colon" | "after";

class Stop {
  constructor(
    readonly at: number,
    readonly problem: string,
  ) {}
}

/** The first syntax problem of `text`, or null when it is valid JSON. */
export function jsonSyntaxProblem(text: string): JsonProblem | null {
  try {
    scan(text);
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return { ...position(text, e.at), problem: e.problem };
  }
}

/** 1-based line and column of an offset (lines end at LF, CRLF or CR). */
function position(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: at - start + 1 };
}

/** What stands at offset i, for "unexpected …" messages. */
function what(text: string, i: number): string {
  if (i >= text.length) return "the end of the text";
  const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 24));
  return word !== null ? quote(word[0]) : quote(text[i]!);
}

function scan(text: string): void {
  const stack: ("{" | "[")[] = [];
  let state: State = "value";
  let i = 0;
  const n = text.length;
  const fail = (at: number, problem: string): never => {
    throw new Stop(at, problem);
  };
  for (;;) {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
    if (i >= n) {
      if (state === "after" && stack.length === 0) return;
      fail(
        n,
        stack.length > 0
          ? `the text ends inside ${stack[stack.length - 1] === "{" ? "an object: a } is missing" : "a list: a ] is missing"}`
          : "the text ends where a value should be",
      );
    }
    const c = text[i]!;
    if (state === "after" && stack.length === 0) fail(i, `unexpected ${what(text, i)} after the end of the JSON value`);
    // an empty list or object closes at once; otherwise its first entry is like any other
    if ((state === "first-value" && c === "]") || (state === "first-key" && c === "}")) {
      stack.pop();
      i++;
      state = "after";
      continue;
    }
    if (state === "first-value") state = "value";
    if (state === "first-key") state = "key";
    switch (state) {
      case "value": {
        if (c === "{" || c === "[") {
          stack.push(c);
          i++;
          state = c === "{" ? "first-key" : "first-value";
          continue;
        }
        if (c === '"') {
          i = string(text, i, fail);
          state = "after";
          continue;
        }
        for (const [word, problem] of NON_FINITE) if (text.startsWith(word, i)) fail(i, problem);
        if (c === "-" || (c >= "0" && c <= "9")) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (m === null) fail(i, `${what(text, i)} is not a number`);
          i += m![0].length;
          if (m![0].replace(/^-/, "").startsWith("0") && /[0-9]/.test(text[i] ?? ""))
            fail(i - 1, "a number does not start with 0 followed by digits");
          if (text[i] === "." || text[i] === "e" || text[i] === "E")
            fail(i, "a number is cut short (digits are missing after its . or e)");
          state = "after";
          continue;
        }
        const literal = ["true", "false", "null"].find((w) => text.startsWith(w, i));
        if (literal !== undefined) {
          i += literal.length;
          state = "after";
          continue;
        }
        if (c === "]" || c === "}") fail(i, `a value is missing before ${quote(c)} (a comma too many?)`);
        fail(
          i,
          `unexpected ${what(text, i)} where a value should be (a number, "text", true, false, null, a list or an object)`,
        );
        break;
      }
      case "key":
        if (c === '"') {
          i = string(text, i, fail);
          state = "colon";
          continue;
        }
        if (c === "}") fail(i, "a property is missing before } (a comma too many?)");
        fail(i, `unexpected ${what(text, i)} where a property name in double quotes should be`);
        break;
      case "colon":
        if (c !== ":") fail(i, `a : is missing after the property name (found ${what(text, i)})`);
        i++;
        state = "value";
        continue;
      case "after": {
        const top = stack[stack.length - 1]!;
        const close = top === "{" ? "}" : "]";
        if (c === ",") {
          i++;
          state = top === "{" ? "key" : "value";
          continue;
        }
        if (c === close) {
          stack.pop();
          i++;
          continue;
        }
        fail(i, `a , or ${close} is missing before ${what(text, i)}`);
      }
    }
  }
}

/** The offset after the string that starts at i (a double quote), or the problem inside it. */
function string(text: string, i: number, fail: (at: number, problem: string) => never): number {
  for (let j = i + 1; ; ) {
    if (j >= text.length) return fail(i, 'a string is not closed: a " is missing');
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92) {
      const e = text[j + 1];
      if (e !== undefined && '"\\/bfnrt'.includes(e)) j += 2;
      else if (e === "u" && HEX4.test(text.slice(j + 2, j + 6))) j += 6;
      else
        return fail(
          j,
          `${quote(text.slice(j, j + 2))} is not an escape JSON knows (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`,
        );
    } else if (c < 0x20)
      return fail(j, "a string holds a raw control character (a line break or tab must be written \\n or \\t)");
    else j++;
  }
}
