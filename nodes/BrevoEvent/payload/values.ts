import { jsonParse, type IDataObject } from 'n8n-workflow';

import { FieldError } from './FieldError';

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

/** A value as it appears in an error message: strings quoted, the rest as JSON. */
export function formatValue(value: unknown): string {
	return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

/** `note`, when given, is added to the error message, e.g. why this type was expected. */
export function toNumber(value: unknown, field: string, note?: string): number {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '') {
		const parsed = Number(value.trim());
		if (Number.isFinite(parsed)) return parsed;
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

export function toText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
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
	const list = Array.isArray(parsed) ? parsed : toText(parsed).split(',');
	return list.map((v) => toText(v).trim()).filter((v) => v !== '');
}

const NOT_JSON = Symbol('not JSON');

export function parseJsonValue(value: unknown, field: string): unknown {
	if (typeof value !== 'string') return value;
	const parsed = jsonParse<unknown>(value, { fallbackValue: NOT_JSON });
	if (parsed === NOT_JSON) throw new FieldError(field, `${formatValue(value)} is not valid JSON`);
	return parsed;
}
