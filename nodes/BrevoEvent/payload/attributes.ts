import type { FieldType, INodePropertyOptions, ResourceMapperField } from 'n8n-workflow';

import { toBrevoDate } from './dates';
import { FieldError } from './FieldError';
import { formatValue, isPlainObject, toBoolean, toNumber, toStringList, toText } from './values';

/** A contact attribute as GET /contacts/attributes describes it. */
export interface BrevoAttribute {
	name: string;
	category?: string;
	/** text, float, boolean, date, id, category, multiple-choice (Brevo has no "number") */
	type?: string;
	enumeration?: CategoryOption[];
}

/**
 * One option of a category attribute. Since 2026-05-01 Brevo adds `valueStr`, the value as text,
 * and gives `value` 0 for options whose value is not a number (language codes "en", "fr");
 * answers from before then have no `valueStr`.
 */
export interface CategoryOption {
	value: number;
	valueStr?: string;
	label: string;
}

/** The account's contact attributes by upper-case name (Brevo's names are case-insensitive). */
export type ContactAttributes = Map<string, BrevoAttribute>;

export function parseAttributes(body: unknown): ContactAttributes {
	const listed = isPlainObject(body) ? body.attributes : undefined;
	const attributes = new Map<string, BrevoAttribute>();
	for (const entry of Array.isArray(listed) ? listed : []) {
		const attribute = readAttribute(entry);
		if (attribute) attributes.set(attribute.name.toUpperCase(), attribute);
	}
	return attributes;
}

/**
 * One entry of the list, believed only as far as its shape goes (found by a hostile-server probe:
 * an option without label made the conversion fail with a bare TypeError): no name, no attribute;
 * an option without a numeric value or a text valueStr is left out; one without label shows its value.
 */
function readAttribute(entry: unknown): BrevoAttribute | undefined {
	if (!isPlainObject(entry) || typeof entry.name !== 'string') return undefined;
	const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
	const options = Array.isArray(entry.enumeration)
		? entry.enumeration.flatMap((option): CategoryOption[] => {
				if (!isPlainObject(option)) return [];
				const value = typeof option.value === 'number' ? option.value : undefined;
				const valueStr = text(option.valueStr);
				if (value === undefined && valueStr === undefined) return [];
				const read: CategoryOption = { value: value ?? 0, label: '' };
				if (valueStr !== undefined) read.valueStr = valueStr;
				read.label = text(option.label) ?? String(categoryValue(read));
				return [read];
			})
		: undefined;
	return {
		name: entry.name,
		category: text(entry.category),
		type: text(entry.type),
		enumeration: options,
	};
}

/**
 * The value Brevo stores for a category option. With `valueStr`: the number for numeric options
 * (1, as before 2026-05-01), the text for the others ("en"); without it, the numeric value.
 */
export function categoryValue(option: CategoryOption): string | number {
	if (typeof option.valueStr !== 'string' || option.valueStr === '') return option.value;
	return String(option.value) === option.valueStr ? option.value : option.valueStr;
}

/** "English (en), French (fr)"; the label alone when it is the value. */
function describeOptions(options: CategoryOption[], max = options.length): string {
	const shown = options.slice(0, max).map((o) => {
		const value = String(categoryValue(o));
		return value === o.label ? value : `${o.label} (${value})`;
	});
	return options.length > max
		? `${shown.join(', ')}, … (${options.length} in all)`
		: shown.join(', ');
}

/** How a value of each Brevo attribute type is sent, for the picker's descriptions and the docs. */
const SENT_AS: Record<string, string> = {
	text: 'text',
	float: 'a number',
	boolean: 'true/false',
	date: 'YYYY-MM-DD',
	id: 'text',
	category: "its option's value",
	'multiple-choice': 'a list of strings',
};

const PICKER_OPTIONS_SHOWN = 10;

function describeAttribute(attribute: BrevoAttribute): string {
	const type = attribute.type ?? 'unknown';
	const text = `${attribute.category ?? 'normal'} attribute of type ${type}; sent as ${SENT_AS[type] ?? 'given'}`;
	if (type !== 'category' || !attribute.enumeration?.length) return text;
	return `${text}. Label or value: ${describeOptions(attribute.enumeration, PICKER_OPTIONS_SHOWN)}`;
}

/** Options for the contact property name picker: "AGE (float)", sorted, value = attribute name. */
export function attributeOptions(attributes: ContactAttributes): INodePropertyOptions[] {
	return [...attributes.values()]
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((a) => ({
			name: `${a.name} (${a.type ?? 'unknown type'})`,
			value: a.name,
			description: describeAttribute(a),
		}));
}

/**
 * The input widget n8n's resource mapper shows for each Brevo type. Only the editor uses it: at
 * execution the value is converted by `convertForAttribute`, like a row of type "attribute".
 * Multiple-choice stays text so that "a, b" can be typed as well as a list mapped.
 */
const FIELD_TYPE: Record<string, FieldType> = {
	float: 'number',
	boolean: 'boolean',
	date: 'dateTime',
	category: 'options',
};

/** Fields of "Map Each Attribute" (n8n's resource mapper): "AGE (float)", sorted, none required. */
export function attributeFields(attributes: ContactAttributes): ResourceMapperField[] {
	return [...attributes.values()]
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((a) => {
			const type = FIELD_TYPE[a.type ?? ''] ?? 'string';
			return {
				id: a.name,
				displayName: `${a.name} (${a.type ?? 'unknown type'})`,
				required: false,
				defaultMatch: false,
				canBeUsedToMatch: false,
				display: true,
				type,
				...(type === 'options'
					? {
							options: (a.enumeration ?? []).map((o) => ({
								name: o.label,
								value: categoryValue(o),
							})),
						}
					: {}),
			};
		});
}

/**
 * A category attribute takes one of its options, given by value ("en", 2) or by label (any case),
 * and is sent as that option's value.
 */
function toCategory(value: unknown, attribute: BrevoAttribute, field: string): string | number {
	const options = attribute.enumeration ?? [];
	const text = toText(value, field).trim();
	const chosen =
		options.find((o) => String(categoryValue(o)) === text) ??
		options.find((o) => o.label.toUpperCase() === text.toUpperCase());
	if (chosen) return categoryValue(chosen);
	throw new FieldError(
		field,
		`${formatValue(value)} is not one of the options of category attribute ${attribute.name}`,
		`Use a label or a value: ${describeOptions(options)}`,
	);
}

/**
 * Converts a contact property value to the type its attribute has in the Brevo account. Brevo
 * silently ignores a value of the wrong type, so a value that cannot be converted is an error.
 */
export function convertForAttribute(
	value: unknown,
	name: string,
	field: string,
	attributes: ContactAttributes | undefined,
	zone: string,
): unknown {
	const attribute = attributes?.get(name.toUpperCase());
	if (!attribute) {
		throw new FieldError(
			field,
			`there is no contact attribute "${name}" in this Brevo account, so its type is unknown`,
			'Create the attribute in Brevo (Contacts → Settings → Attributes), check its spelling, or choose a type for the row',
		);
	}
	const note = `${attribute.name} is a ${attribute.type} attribute in Brevo`;
	switch (attribute.type) {
		case 'float':
			return toNumber(value, field, note);
		case 'boolean':
			return toBoolean(value, field, note);
		case 'date':
			return toBrevoDate(value, field, zone, note);
		case 'category':
			return toCategory(value, attribute, field);
		case 'multiple-choice':
			return toStringList(value, field);
		default:
			return toText(value, field);
	}
}
