/**
 * The drag-and-drop fast path. Dragging an input field onto a parameter writes an expression that
 * only reads a path of the current item (`={{ $json.email }}`, `={{ $json["first name"] }}`,
 * `={{ $json.order.lines[0].sku }}`); n8n 2.x evaluates each one in its isolated VM, about half a
 * millisecond per field and item. This reads such a path from the item's JSON directly, with the
 * result n8n's evaluation gives (checked against n8n-core's engine in
 * test/engine/itemPath.engine.test.ts, both its legacy and its VM evaluator). Whatever it cannot
 * vouch for — any other expression, or an item whose data it does not fully know how n8n treats —
 * it hands back to n8n (`HAND_TO_N8N`), so that n8n's own value or error is what the user gets.
 *
 * What n8n 2.41 does, measured in its engine (the rules below follow from it):
 * - reading below a missing or null field gives `undefined`, not an error: the TypeError is
 *   swallowed by n8n's evaluator, for the whole expression;
 * - the value comes back as it is (a number stays a number in a string parameter, `-0` stays
 *   `-0`), objects and arrays as copies in the VM;
 * - `__proto__`, `constructor`, `prototype` and the like are refused with n8n's own error, a
 *   function (`$json.toString`) is an error too, and the VM cannot copy an object holding a
 *   `constructor` or `toString` key (legacy can): all handed to n8n.
 */

/** The keys of a path, in order: `$json.order.lines[0]` is `['order', 'lines', '0']`, `$json` is `[]`. */
export type ItemPath = readonly string[];

/** Returned instead of a value when n8n must evaluate the expression itself. */
export const HAND_TO_N8N: unique symbol = Symbol('hand to n8n');

// `={{`, optional blanks, `$json`, any steps (none: the whole item), optional blanks, `}}`, nothing else.
const WHOLE =
	/^=\{\{[ \t\r\n]*\$json((?:\.[A-Za-z_$][\w$]*|\[(?:0|[1-9]\d{0,8})\]|\["[^"\\{}]*"\]|\['[^'\\{}]*'\])*)[ \t\r\n]*\}\}$/;
const STEP = /\.([A-Za-z_$][\w$]*)|\[(0|[1-9]\d*)\]|\["([^"]*)"\]|\['([^']*)'\]/g;

/**
 * Keys n8n refuses to read (its sanitiser's list, as of n8n-workflow 2.41) or reads differently
 * in its two evaluators. Any key Object.prototype has is handed over as well.
 */
const REFUSED_KEYS = new Set([
	'__proto__',
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'__lookupGetter__',
	'__lookupSetter__',
	'__defineGetter__',
	'__defineSetter__',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
]);

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);
const isRefused = (key: string) => REFUSED_KEYS.has(key) || key in Object.prototype;

/** A line break ends a string literal too early; other control characters: let n8n judge. */
function hasLineOrControlCharacter(key: string): boolean {
	for (let i = 0; i < key.length; i++) {
		const code = key.charCodeAt(i);
		if (code < 0x20 || code === 0x2028 || code === 0x2029) return true;
	}
	return false;
}

/** An array index as JavaScript writes it: "0", "17", never "01" or "1.0". */
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,8})$/;

/** A copied value nested deeper than this is handed over (n8n's own limits apply there). */
const MAX_DEPTH = 100;

/**
 * The path a raw parameter value reads, if its whole value is one expression that does nothing
 * but read a path of the current item; otherwise undefined (n8n evaluates it).
 */
export function parseItemPath(raw: unknown): ItemPath | undefined {
	if (typeof raw !== 'string') return undefined;
	const whole = WHOLE.exec(raw);
	// n8n refuses any expression with ".constructor" in its text, even inside a quoted key.
	if (whole === null || raw.includes('constructor')) return undefined;
	const path: string[] = [];
	for (const step of whole[1].matchAll(STEP)) {
		const key = step[1] ?? step[2] ?? step[3] ?? step[4];
		if (isRefused(key) || hasLineOrControlCharacter(key)) return undefined;
		// As a name (not a quoted key), n8n refuses `$` and reserves some `__` names of its own.
		if (step[1] !== undefined && (key === '$' || key.startsWith('__'))) return undefined;
		path.push(key);
	}
	return path;
}

/**
 * The value n8n's evaluation of the path gives for an item's JSON, or HAND_TO_N8N when that is
 * not certain (a Date, a class instance, a string's `.length`, an odd key, …).
 */
export function readItemPath(json: unknown, path: ItemPath): unknown {
	let value: unknown = json;
	if (!isPlainObject(value)) return HAND_TO_N8N;
	for (const key of path) {
		// Below a missing or null field n8n gives undefined for the whole expression.
		if (value === undefined || value === null) return undefined;
		if (Array.isArray(value)) {
			if (!ARRAY_INDEX.test(key)) return HAND_TO_N8N;
			const index = Number(key);
			if (index >= value.length) {
				value = undefined;
				continue;
			}
			if (!(index in value)) return HAND_TO_N8N;
			value = value[index];
		} else if (isPlainObject(value)) {
			// Not an own key: undefined (inherited names never get here, parseItemPath refuses them).
			value = hasOwn(value, key) ? value[key] : undefined;
		} else {
			// A string, number or other value with properties of its own kind: n8n decides.
			return HAND_TO_N8N;
		}
	}
	return copyOf(value, 0);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		Object.getPrototypeOf(value) === Object.prototype
	);
}

/**
 * A primitive as it is; a plain object or array as a copy (n8n's VM hands back copies, and the
 * node must not be able to change its input items); anything else is handed over.
 */
function copyOf(value: unknown, depth: number): unknown {
	switch (typeof value) {
		case 'string':
		case 'number':
		case 'boolean':
		case 'undefined':
			return value;
		case 'object':
			break;
		default:
			// bigint, symbol, function
			return HAND_TO_N8N;
	}
	if (value === null) return null;
	if (depth >= MAX_DEPTH) return HAND_TO_N8N;
	if (Array.isArray(value)) {
		if (Object.getPrototypeOf(value) !== Array.prototype) return HAND_TO_N8N;
		const copy: unknown[] = new Array(value.length);
		for (let i = 0; i < value.length; i++) {
			if (!(i in value)) return HAND_TO_N8N;
			const element = copyOf(value[i], depth + 1);
			if (element === HAND_TO_N8N) return HAND_TO_N8N;
			copy[i] = element;
		}
		return copy;
	}
	if (!isPlainObject(value)) return HAND_TO_N8N;
	const copy: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		if (isRefused(key)) return HAND_TO_N8N;
		const field = copyOf(value[key], depth + 1);
		if (field === HAND_TO_N8N) return HAND_TO_N8N;
		copy[key] = field;
	}
	// Keys that are not enumerable or are symbols: n8n's copies may differ, let it decide.
	if (
		Object.getOwnPropertyNames(value).length !== Object.keys(value).length ||
		Object.getOwnPropertySymbols(value).length > 0
	)
		return HAND_TO_N8N;
	return copy;
}
