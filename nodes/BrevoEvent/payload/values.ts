import { jsonParse, type IDataObject } from 'n8n-workflow';

import { FieldError } from './FieldError';
import { checkJsonTree } from './json';
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

const NOT_JSON = Symbol('not JSON');

export function parseJsonValue(value: unknown, field: string): unknown {
	if (typeof value !== 'string') return value;
	const parsed = jsonParse<unknown>(value, { fallbackValue: NOT_JSON });
	if (parsed === NOT_JSON) throw new FieldError(field, `${formatValue(value)} is not valid JSON`);
	return parsed;
}
