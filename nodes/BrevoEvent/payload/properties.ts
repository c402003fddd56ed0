import type { IDataObject } from 'n8n-workflow';

import { convertForAttribute, type ContactAttributes } from './attributes';
import { toBrevoDate, toBrevoDateTime } from './dates';
import { FieldError } from './FieldError';
import { autoMappedRows } from './inputFields';
import { NAME_MAX_LENGTH, NAME_PATTERN } from './limits';
import { formatValue, isPlainObject, parseJsonValue, toBoolean, toNumber, toText } from './values';

/** `attribute`: the type of the contact attribute of that name in the Brevo account. */
export type PropertyType = 'string' | 'number' | 'boolean' | 'date' | 'json' | 'attribute';

/** What a conversion needs besides the value: where it goes, the workflow's zone, the account's attributes. */
export interface ConversionContext {
	target: PropertyTarget;
	zone: string;
	/** Contact attributes of the account, when some row asks for its attribute's type. */
	attributes?: ContactAttributes;
}

/** One key/value row of the Contact Properties or Event Properties table. */
export interface PropertyRow {
	name?: unknown;
	type?: PropertyType;
	value?: unknown;
}

/** Which of the two property objects a value belongs to: they differ in what Brevo accepts. */
export type PropertyTarget = 'contact' | 'event';

/**
 * `auto`: the input item's fields named like a contact attribute of the account (Map
 * Automatically), each typed by its attribute; `except` names input fields never sent.
 */
export type PropertiesInput =
	| { mode: 'keypair'; rows: PropertyRow[] }
	| { mode: 'json'; json: unknown }
	| { mode: 'auto'; fields: IDataObject; except: ReadonlySet<string> };

/** Throws unless `key` is a name Brevo accepts: 1–255 characters of A–Z a–z 0–9 - _. */
export function checkName(key: string, field: string, what: string): void {
	if (key === '') throw new FieldError(field, `${what} is empty`);
	if (key.length > NAME_MAX_LENGTH) {
		throw new FieldError(
			field,
			`${what} is ${key.length} characters long; Brevo allows at most ${NAME_MAX_LENGTH}`,
		);
	}
	if (!NAME_PATTERN.test(key)) {
		const bad = [...new Set(key.replace(/[A-Za-z0-9_-]/g, ''))].map((c) => `"${c}"`).join(', ');
		throw new FieldError(
			field,
			`${what} "${key}" contains characters Brevo does not accept: ${bad}`,
			'Use only letters A–Z and a–z, digits, "-" and "_"',
		);
	}
}

/** Converts one row's value to the type the user chose for it. */
export function convertValue(
	value: unknown,
	type: PropertyType,
	name: string,
	field: string,
	context: ConversionContext,
): unknown {
	const { target, zone } = context;
	switch (type) {
		case 'number':
			return toNumber(value, field);
		case 'boolean':
			return toBoolean(value, field);
		case 'date':
			// Contact attributes of type date hold a calendar day; event properties a full timestamp.
			return target === 'contact'
				? toBrevoDate(value, field, zone)
				: toBrevoDateTime(value, field, zone);
		case 'json':
			return parseJsonValue(value, field);
		case 'attribute':
			return convertForAttribute(value, name, field, context.attributes, zone);
		default:
			return toText(value);
	}
}

/** Event property keys, top-level and nested, follow the event-name rule; arrays are walked too. */
function checkEventKeys(value: unknown, path: string): void {
	if (Array.isArray(value)) {
		value.forEach((entry, index) => checkEventKeys(entry, `${path}[${index}]`));
	} else if (isPlainObject(value)) {
		for (const [key, nested] of Object.entries(value)) {
			checkName(key, `${path} › ${key}`, 'Key');
			checkEventKeys(nested, `${path} › ${key}`);
		}
	}
}

/** Contact attribute values are scalars, or a list of strings for multiple-choice attributes. */
function checkContactValue(value: unknown, field: string): void {
	const scalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v) || v === null;
	if (scalar(value)) return;
	if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return;
	throw new FieldError(
		field,
		`${formatValue(value)} is not a value a contact attribute can hold`,
		'Use a string, number, boolean or date, or a list of strings for a multiple-choice attribute',
	);
}

function fromRows(rows: PropertyRow[], label: string, context: ConversionContext): IDataObject {
	const result: IDataObject = {};
	rows.forEach((row, index) => {
		const name = toText(row.name).trim();
		const value = row.value;
		// A row left completely blank in the UI is not an error, just nothing.
		if (name === '' && (value === undefined || value === '')) return;
		const field = name === '' ? `${label} › row ${index + 1}` : `${label} › ${name}`;
		checkName(name, field, 'Name');
		if (Object.prototype.hasOwnProperty.call(result, name)) {
			throw new FieldError(field, `"${name}" appears more than once`);
		}
		result[name] = convertValue(
			value,
			row.type ?? 'string',
			name,
			field,
			context,
		) as IDataObject[string];
	});
	return result;
}

function fromJson(json: unknown, label: string): IDataObject {
	const parsed = parseJsonValue(json, label);
	if (parsed === undefined || parsed === null || parsed === '') return {};
	if (!isPlainObject(parsed)) {
		throw new FieldError(
			label,
			`must be a JSON object, got ${formatValue(parsed)}`,
			'Example: {"plan": "pro", "seats": 3}',
		);
	}
	return parsed;
}

function rowsOf(
	input: Exclude<PropertiesInput, { mode: 'json' }>,
	context: ConversionContext,
): PropertyRow[] {
	if (input.mode === 'keypair') return input.rows;
	// The operation loads the attributes whenever this mode is chosen; without them nothing matches.
	if (!context.attributes)
		throw new Error('Map Automatically needs the account contact attributes');
	return autoMappedRows(input.fields, context.attributes, input.except);
}

/**
 * Builds the contact_properties or event_properties object from either input style, with each
 * value in its chosen type and every key checked against Brevo's rules.
 */
export function buildProperties(
	input: PropertiesInput,
	label: string,
	context: ConversionContext,
): IDataObject {
	const properties =
		input.mode === 'json'
			? fromJson(input.json, label)
			: fromRows(rowsOf(input, context), label, context);
	for (const [key, value] of Object.entries(properties)) {
		const field = `${label} › ${key}`;
		if (input.mode === 'json') checkName(key, field, 'Name');
		if (context.target === 'event') checkEventKeys(value, field);
		else checkContactValue(value, field);
	}
	return properties;
}
