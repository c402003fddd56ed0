import { FieldError } from './FieldError';
import { checkNumber, parseDecimal } from './numbers';

/**
 * What a JSON value must be for Brevo to receive exactly what the item holds: numbers JSON can
 * carry, no keys that JavaScript treats specially, and a nesting depth the node can walk.
 */

/** Objects and arrays nest at most this deep (the properties object itself is level 1). */
export const MAX_NESTING = 100;

/** The error for data nested deeper than MAX_NESTING, wherever it is found. */
export function tooDeep(field: string): FieldError {
	return new FieldError(
		field,
		`nests objects and arrays more than ${MAX_NESTING} levels deep; the node accepts at most ${MAX_NESTING}`,
		'Flatten the data, or send the deep part as text',
	);
}

/**
 * Keys JavaScript treats specially: `obj["__proto__"] = …` sets the prototype instead of a key, and
 * n8n's HTTP client drops all three from a request body, so Brevo would never see them.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function checkReservedKey(key: string, field: string, what: string): void {
	if (RESERVED_KEYS.has(key)) {
		throw new FieldError(
			field,
			`${what} "${key}" cannot be sent: n8n's HTTP client drops the keys __proto__, constructor and prototype`,
			'Rename it, e.g. with a suffix: constructor_name',
		);
	}
}

/**
 * Called for each key of an object, with its path (`Event Properties › order › id`) and the depth
 * of the object holding it (1 = top level).
 */
export type KeyCheck = (key: string, path: string, depth: number) => void;

interface Pending {
	value: unknown;
	path: string;
	depth: number;
	/** The path of the top-level entry this value is in: what a nesting error names. */
	top: string;
}

function isWalkable(value: unknown): value is object {
	// A Date or a luxon DateTime is sent as its toJSON() text, not walked.
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { toJSON?: unknown }).toJSON !== 'function'
	);
}

/**
 * Walks `value` (iteratively: thousands of levels must give an error, not a stack overflow) and
 * throws a FieldError naming the key path of the first value Brevo would not receive exactly.
 * `depth` is the level of `value` itself.
 */
export function checkJsonTree(value: unknown, field: string, checkKey?: KeyCheck, depth = 1): void {
	const stack: Pending[] = [{ value, path: field, depth, top: field }];
	while (stack.length > 0) {
		const { value: current, path, depth: level, top } = stack.pop()!;
		if (typeof current === 'number') {
			checkNumber(current, path);
		} else if (typeof current === 'bigint') {
			throw new FieldError(path, `${current}n is a BigInt, which JSON cannot carry`);
		} else if (typeof current === 'function' || typeof current === 'symbol') {
			throw new FieldError(path, `is a ${typeof current}, which JSON cannot carry`);
		} else if (isWalkable(current)) {
			if (level > MAX_NESTING) throw tooDeep(top);
			const entries = Array.isArray(current)
				? current.map(
						(entry, index): Pending => ({
							value: entry,
							path: `${path}[${index}]`,
							depth: level + 1,
							top: level === depth ? `${path}[${index}]` : top,
						}),
					)
				: Object.entries(current).map(([key, entry]): Pending => {
						const keyPath = `${path} › ${key}`;
						checkKey?.(key, keyPath, level);
						return {
							value: entry,
							path: keyPath,
							depth: level + 1,
							top: level === depth ? keyPath : top,
						};
					});
			// Reversed, so the first key is checked first and errors name the first problem.
			for (let i = entries.length - 1; i >= 0; i--) stack.push(entries[i]);
		}
	}
}

/** Text that is not JSON; `position` is the index of the first character that does not fit. */
export class JsonSyntaxError extends Error {
	constructor(readonly position: number) {
		super(`not valid JSON at position ${position}`);
		this.name = 'JsonSyntaxError';
	}
}

/** A container being read: its value, its key path, and the key an object waits to fill. */
interface Open {
	value: Record<string, unknown> | unknown[];
	path: string;
	/** Entries read so far. */
	size: number;
	key?: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPED = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;
/** Up to 15 characters, so at most 15 digits, no exponent: always exact (a double holds 15). */
const SHORT_DECIMAL = /^-?\d+(?:\.\d+)?$/;
const LITERALS = [
	['true', true],
	['false', false],
	['null', null],
] as const;

/**
 * Reads JSON text (RFC 8259, nothing more) where JSON.parse would silently change it: a number is
 * read as a Number row reads it (exact, or a FieldError naming its key path), a key repeated in one
 * object is refused instead of keeping the last, and nesting past MAX_NESTING is refused. Iterative,
 * so deep text cannot overflow the stack. Throws JsonSyntaxError when the text is not JSON.
 */
export function readJsonText(text: string, field: string): unknown {
	let at = 0;
	const failAt = (position: number): never => {
		throw new JsonSyntaxError(position);
	};
	const fail = () => failAt(at);
	const skipWhitespace = () => {
		let code = text.charCodeAt(at);
		while (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) {
			code = text.charCodeAt(++at);
		}
	};
	const readString = (): string => {
		const start = at;
		let escaped = false;
		let i = at + 1;
		for (;;) {
			const code = text.charCodeAt(i);
			if (code === 0x22) break;
			if (code === 0x5c) {
				escaped = true;
				const escape = text.charAt(i + 1);
				if (escape === 'u' && HEX4.test(text.slice(i + 2, i + 6))) i += 6;
				else if (escape !== '' && ESCAPED.has(escape)) i += 2;
				else failAt(i);
			} else if (!(code >= 0x20)) {
				// A raw control character, or the end of the text (NaN) before the closing quote.
				failAt(i);
			} else i++;
		}
		at = i + 1;
		// Without escapes the text is the value; with them, JSON.parse decodes the (valid) token.
		return escaped ? (JSON.parse(text.slice(start, at)) as string) : text.slice(start + 1, at - 1);
	};

	const stack: Open[] = [];
	/** Computed only when needed (a container, a number to check, an error): most values need none. */
	const pathOfNext = (): string => {
		const open = stack[stack.length - 1];
		if (!open) return field;
		return Array.isArray(open.value)
			? `${open.path}[${open.value.length}]`
			: `${open.path} › ${open.key!}`;
	};
	let result: unknown;
	let done = false;

	/** Puts a finished value into the open container, or makes it the result. */
	const place = (value: unknown) => {
		const open = stack[stack.length - 1];
		if (!open) {
			result = value;
			done = true;
			return;
		}
		open.size++;
		if (Array.isArray(open.value)) {
			open.value.push(value);
		} else {
			const key = open.key!;
			// Assigning "__proto__" would set the prototype, not a key (the key is refused later).
			if (key === '__proto__') {
				Object.defineProperty(open.value, key, {
					value,
					enumerable: true,
					writable: true,
					configurable: true,
				});
			} else open.value[key] = value;
			open.key = undefined;
		}
	};

	/** Reads one value; a `{` or `[` opens a container instead (filled by the loop below). */
	const readValue = () => {
		skipWhitespace();
		const char = text.charAt(at);
		if (char === '{' || char === '[') {
			// The error names the top-level entry the reader is in (stack[1] holds its path).
			if (stack.length >= MAX_NESTING) throw tooDeep(stack.length > 1 ? stack[1].path : field);
			const path = pathOfNext();
			at++;
			stack.push({ value: char === '{' ? {} : [], path, size: 0 });
			return;
		}
		if (char === '"') return place(readString());
		for (const [word, value] of LITERALS) {
			if (text.startsWith(word, at)) {
				at += word.length;
				return place(value);
			}
		}
		NUMBER.lastIndex = at;
		const number = NUMBER.exec(text)?.[0];
		if (number === undefined) fail();
		at += number!.length;
		const exact = number!.length <= 15 && SHORT_DECIMAL.test(number!);
		place(exact ? Number(number) : parseDecimal(number!, pathOfNext()));
	};

	/** Reads `"key":` of the open object, refusing a key it already holds. */
	const readKey = (open: Open) => {
		skipWhitespace();
		if (text.charAt(at) !== '"') fail();
		const key = readString();
		if (Object.prototype.hasOwnProperty.call(open.value, key)) {
			throw new FieldError(
				`${open.path} › ${key}`,
				`the key "${key}" appears more than once in this object; a JSON reader would silently keep only the last value`,
				'Keep one of them',
			);
		}
		skipWhitespace();
		if (text.charAt(at) !== ':') fail();
		at++;
		open.key = key;
	};

	readValue();
	while (!done) {
		const open = stack[stack.length - 1];
		const isArray = Array.isArray(open.value);
		const empty = open.size === 0;
		skipWhitespace();
		const char = text.charAt(at);
		if (char === (isArray ? ']' : '}')) {
			at++;
			stack.pop();
			place(open.value);
		} else if (empty || char === ',') {
			if (!empty) at++;
			if (!isArray) readKey(open);
			readValue();
		} else fail();
	}
	skipWhitespace();
	if (at !== text.length) fail();
	return result;
}
