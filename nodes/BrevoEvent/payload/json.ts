import { FieldError } from './FieldError';
import { checkNumber } from './numbers';

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
