import type { IDataObject } from 'n8n-workflow';

import { convertForAttribute, type ContactAttributes } from './attributes';
import { toBrevoDate, toBrevoDateTime } from './dates';
import { FieldError, RowWithoutNameError } from './FieldError';
import { checkJsonTree, checkReservedKey } from './json';
import { NAME_MAX_LENGTH, NAME_PATTERN } from './limits';
import {
	formatValue,
	isBlank,
	isPlainObject,
	parseJsonValue,
	toBoolean,
	toNumber,
	toText,
} from './values';

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

/** Characters people type into names by mistake, in words: a quoted " " is easy to misread. */
const CHARACTER_NAMES: Record<string, string> = {
	' ': 'a space',
	'\t': 'a tab',
	'\n': 'a line break',
	'\r': 'a carriage return',
	'\u00a0': 'a non-breaking space',
	'.': 'a dot',
	',': 'a comma',
	':': 'a colon',
	';': 'a semicolon',
	'/': 'a slash',
	'\\': 'a backslash',
	'@': 'an at sign',
	'#': 'a hash sign',
	$: 'a dollar sign',
	'%': 'a percent sign',
	'&': 'an ampersand',
	'*': 'an asterisk',
	'+': 'a plus sign',
	'=': 'an equals sign',
	'?': 'a question mark',
	'!': 'an exclamation mark',
	'"': 'a double quote',
	"'": 'an apostrophe',
	'`': 'a backtick',
	'(': 'an opening parenthesis',
	')': 'a closing parenthesis',
	'[': 'an opening bracket',
	']': 'a closing bracket',
	'{': 'an opening brace',
	'}': 'a closing brace',
	'<': 'a less-than sign',
	'>': 'a greater-than sign',
	'|': 'a vertical bar',
	'~': 'a tilde',
	'^': 'a caret',
};

function codePoint(character: string): string {
	return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** One character as an error message names it: "a space", "a dot ('.')", "the letter 'é'". */
export function describeCharacter(character: string): string {
	const name = CHARACTER_NAMES[character];
	// Invisible ones by name or code point only: quoting them shows nothing.
	if (name) return /\s/.test(character) ? name : `${name} ('${character}')`;
	if (/\p{L}/u.test(character)) return `the letter '${character}' (${codePoint(character)})`;
	if (/[\p{C}\p{Z}]/u.test(character)) return `an invisible character (${codePoint(character)})`;
	return `'${character}' (${codePoint(character)})`;
}

function listInWords(items: string[]): string {
	return items.length < 2
		? items.join('')
		: `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

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
		const bad = [...new Set(key.replace(/[A-Za-z0-9_-]/g, ''))].map(describeCharacter);
		throw new FieldError(
			field,
			`${what} "${key}" contains ${bad.length === 1 ? 'a character' : 'characters'} Brevo does not accept: ${listInWords(bad)}`,
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
			return toText(value, field);
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

/**
 * Brevo's contact attribute names ignore case: AGE and age are one attribute, and which value would
 * win is not documented, so both in one event is refused. Event property keys keep their case.
 */
function checkUniqueName(
	name: string,
	field: string,
	seen: Map<string, string>,
	target: PropertyTarget,
): void {
	const key = target === 'contact' ? name.toUpperCase() : name;
	const earlier = seen.get(key);
	if (earlier === name) throw new FieldError(field, `"${name}" appears more than once`);
	if (earlier !== undefined) {
		throw new FieldError(
			field,
			`"${earlier}" and "${name}" are the same contact attribute: Brevo ignores the case of attribute names`,
			'Keep one of them',
		);
	}
	seen.set(key, name);
}

function fromRows(rows: PropertyRow[], label: string, context: ConversionContext): IDataObject {
	const result: IDataObject = {};
	const seen = new Map<string, string>();
	rows.forEach((row, index) => {
		const value = row.value;
		const rowField = `${label} › row ${index + 1}`;
		const name = toText(row.name, rowField).trim();
		// A row left completely blank in the UI is not an error, just nothing.
		if (name === '' && (value === undefined || value === '')) return;
		if (name === '') throw new RowWithoutNameError(rowField, context.target);
		const field = `${label} › ${name}`;
		checkName(name, field, 'Name');
		// Before assigning: result["__proto__"] = … would set the prototype, not a key.
		checkReservedKey(name, field, 'Name');
		checkUniqueName(name, field, seen, context.target);
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

/**
 * Map Automatically: one row typed by its attribute for each input field whose name is a contact
 * attribute of the account, compared without case as Brevo compares attribute names; the row
 * carries the attribute's own spelling. Empty values are left out: an empty cell of a spreadsheet
 * should neither erase the attribute in Brevo nor fail the item. Two fields naming the same
 * attribute (`age` and `AGE`) give two rows, which the builder refuses as a name given twice.
 */
export function autoMappedRows(
	json: IDataObject,
	attributes: ContactAttributes,
	except: ReadonlySet<string>,
): PropertyRow[] {
	const rows: PropertyRow[] = [];
	for (const key of Object.keys(json)) {
		if (except.has(key)) continue;
		const attribute = attributes.get(key.toUpperCase());
		if (!attribute || isBlank(json[key])) continue;
		rows.push({ name: attribute.name, type: 'attribute', value: json[key] });
	}
	return rows;
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
 * value in its chosen type and every key checked against Brevo's rules: names, reserved keys,
 * numbers JSON can carry exactly, the nesting limit (README "Field reference").
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
	const seen = new Map<string, string>();
	checkJsonTree(properties, label, (key, path, depth) => {
		if (depth === 1 && input.mode === 'json') {
			checkName(key, path, 'Name');
			checkReservedKey(key, path, 'Name');
			checkUniqueName(key, path, seen, context.target);
		} else if (depth > 1) {
			checkReservedKey(key, path, 'Key');
			// Event property keys, nested ones too, follow the event-name rule.
			if (context.target === 'event') checkName(key, path, 'Key');
		}
	});
	if (context.target === 'contact') {
		for (const [key, value] of Object.entries(properties)) {
			checkContactValue(value, `${label} › ${key}`);
		}
	}
	return properties;
}
