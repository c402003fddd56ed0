import type { IDataObject } from 'n8n-workflow';

import { FieldError } from './FieldError';
import { checkJsonTree, JsonSyntaxError, readJsonText } from './json';
import { checkNumber, parseDecimal } from './numbers';

/** Scalar conversions shared by identifiers, property rows, contact attributes and queries. */

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

export function isPlainObject(value: unknown): value is IDataObject {
	return (
		typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
	);
}

/** Nothing entered: undefined, null, or a string of only spaces. An empty mapped field is blank. */
export function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

const SHOWN_MAX_LENGTH = 200;

/** A value as it appears in an error message: strings quoted, the rest as JSON, long ones cut. */
export function formatValue(value: unknown): string {
	let shown: string;
	if (typeof value === 'string') shown = `"${value}"`;
	else if (typeof value === 'number' || typeof value === 'bigint') shown = String(value);
	else {
		try {
			shown = JSON.stringify(value) ?? String(value);
		} catch {
			// Too deep to write out, or not JSON at all.
			shown = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : 'a value';
		}
	}
	return shown.length > SHOWN_MAX_LENGTH ? `${shown.slice(0, SHOWN_MAX_LENGTH)}…` : shown;
}

/**
 * A number from a number or from text in decimal notation ("142", " 59.90 ", "-1.5e3"). Refused:
 * NaN, Infinity, numbers past ±(2^53 − 1), hexadecimal and other notations, and text with more
 * digits than a number holds. `note`, when given, is added to the error, e.g. why a number is due.
 */
export function toNumber(value: unknown, field: string, note?: string): number {
	if (typeof value === 'number') return checkNumber(value, field);
	if (typeof value === 'string') {
		const parsed = parseDecimal(value.trim(), field);
		if (parsed !== undefined) return parsed;
	}
	throw new FieldError(field, `${formatValue(value)} is not a number${note ? ` (${note})` : ''}`);
}

export function toBoolean(value: unknown, field: string, note?: string): boolean {
	if (typeof value === 'boolean') return value;
	// String([true]) is "true" and String(["no"]) is "no": a list would pass for its only entry.
	if (Array.isArray(value)) {
		throw new FieldError(
			field,
			`${formatValue(value)} is a list, not a boolean${note ? ` (${note})` : ''}`,
			'Map a single value, e.g. {{ $json.flags[0] }}, or use true or false',
		);
	}
	const word = String(value).trim().toLowerCase();
	if (TRUE_WORDS.has(word)) return true;
	if (FALSE_WORDS.has(word)) return false;
	throw new FieldError(
		field,
		`${formatValue(value)} is not a boolean${note ? ` (${note})` : ''}`,
		'Use true or false',
	);
}

/** Text as the user would read the value; objects and lists as their JSON text. */
export function toText(value: unknown, field: string): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return String(checkNumber(value, field));
	if (typeof value === 'object') {
		checkJsonTree(value, field);
		return JSON.stringify(value);
	}
	return String(value);
}

/** Text for a field that holds one value (a name, an ID): a list or an object is refused. */
export function toSingleText(value: unknown, field: string): string {
	if (typeof value === 'object' && value !== null) {
		throw new FieldError(field, `${formatValue(value)} is not a single value`);
	}
	return toText(value, field);
}

/**
 * A list of non-empty strings from a list, a JSON array text or comma-separated text:
 * "a, b", ["a", "b"] and '["a","b"]' all give ["a", "b"].
 */
export function toStringList(value: unknown, field: string): string[] {
	const parsed =
		typeof value === 'string' && value.trim().startsWith('[')
			? parseJsonValue(value, field)
			: value;
	const list = Array.isArray(parsed) ? parsed : toText(parsed, field).split(',');
	return list.map((v) => toText(v, field).trim()).filter((v) => v !== '');
}

/**
 * A value from JSON text, read strictly (json.ts): numbers exact or refused as in Number rows,
 * repeated keys refused. JSON.parse (n8n's jsonParse too) would round, zero or drop them silently.
 */
export function parseJsonValue(value: unknown, field: string): unknown {
	if (typeof value !== 'string') return value;
	let failure: unknown;
	try {
		return readJsonText(value, field);
	} catch (error) {
		failure = error;
	}
	// A FieldError (a number, a repeated key, the nesting) already names its key path.
	if (!(failure instanceof JsonSyntaxError)) throw failure;
	throw new FieldError(
		field,
		`${formatValue(value)} is not valid JSON (at character ${failure.position + 1})`,
	);
}

/**
 * Characters nobody sees but Brevo stores: zero-width spaces and joiners, the byte order mark,
 * bidirectional controls (all Unicode "format", Cf) and control characters (Cc). Pasted from web
 * pages or documents, they make an identifier that matches no contact.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
const INVISIBLE_NAMES: Record<string, string> = {
	'\u200b': 'zero-width space',
	'\u200c': 'zero-width non-joiner',
	'\u200d': 'zero-width joiner',
	'\u2060': 'word joiner',
	'\ufeff': 'byte order mark',
	'\u00ad': 'soft hyphen',
	'\u200e': 'left-to-right mark',
	'\u200f': 'right-to-left mark',
};

/** Embeddings, overrides and isolates: they reorder how the text shows, not what it is. */
const BIDI_CONTROL = /[\u061c\u202a-\u202e\u2066-\u2069]/;

function codePointOf(character: string): string {
	return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * An identifier as trimmed text: whitespace around it (spaces, tabs, line breaks) is dropped, as
 * always; an invisible character anywhere else, or a byte order mark anywhere (trim() would drop
 * it silently), is refused with its position in the value (1 = first character).
 */
export function toIdentifierText(value: unknown, field: string): string {
	const raw = toSingleText(value, field);
	const trimmed = raw.trim();
	if (!INVISIBLE.test(raw)) return trimmed;
	const characters = [...raw];
	const first = [...raw.slice(0, raw.length - raw.trimStart().length)].length;
	const last = first + [...trimmed].length;
	const position = characters.findIndex(
		(character, index) =>
			INVISIBLE.test(character) && (character === '\ufeff' || (index >= first && index < last)),
	);
	if (position >= 0) {
		const character = characters[position];
		const name =
			INVISIBLE_NAMES[character] ??
			(BIDI_CONTROL.test(character) ? 'a bidirectional control' : undefined) ??
			(/\p{Cc}/u.test(character) ? 'a control character' : 'a format character');
		const shown = characters
			.map((c) => (INVISIBLE.test(c) ? `\\u${codePointOf(c).slice(2)}` : c))
			.join('');
		throw new FieldError(
			field,
			`"${shown}" has an invisible character at position ${position + 1}: ${codePointOf(character)} (${name})`,
			'Remove it (it often comes with text copied from a web page or a document): Brevo would keep it, and the identifier would match no contact',
		);
	}
	return trimmed;
}
