import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * Building blocks of the operations' descriptions, as plain constants. Each operation lists its
 * parameters with only their own display conditions (a mode, say) and applies its resource and
 * operation once, with n8n's updateDisplayOptions.
 */

/** displayOptions showing a parameter when parameter `mode` has one of `values`. */
export function inMode(mode: string, values: string[]): INodeProperties['displayOptions'] {
	return { show: { [mode]: values } };
}

/** The two modes every "… Properties" input offers after its own: typed rows, one JSON object. */
export const ROWS_AND_JSON_MODES: INodePropertyOptions[] = [
	{
		name: 'Using Fields Below',
		value: 'keypair',
		description: 'Enter or map each value in a row, with the type it is sent as',
	},
	{ name: 'Using JSON', value: 'json', description: 'Enter or map one JSON object' },
];

/** The JSON types a row's value may be sent as; `date` is the target's own date format. */
export function valueTypes(date: INodePropertyOptions): INodePropertyOptions[] {
	return [
		{ name: 'String', value: 'string', description: 'Sent as text' },
		{ name: 'Number', value: 'number', description: 'Sent as a JSON number, e.g. 142' },
		{
			name: 'Boolean',
			value: 'boolean',
			description: 'Sent as true or false; accepts true/false, 1/0, yes/no',
		},
		date,
		{
			name: 'JSON',
			value: 'json',
			description: 'Parsed from JSON text: an object, array, number, boolean or string',
		},
	];
}

/** One row of a "… Properties" list: its name field, then the type it is sent as and the value. */
export function propertyRow(
	name: INodeProperties,
	types: INodePropertyOptions[],
): { displayName: string; name: string; values: INodeProperties[] } {
	return {
		displayName: 'Property',
		name: 'property',
		values: [
			name,
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				options: types,
				default: 'string',
				description: 'The JSON type the value is sent as',
			},
			{
				displayName: 'Value',
				name: 'value',
				type: 'string',
				default: '',
				description: 'The value, converted to the chosen type before sending',
			},
		],
	};
}

/**
 * A comma-separated list of input field names. `requiresDataPath` makes a field dragged onto it
 * drop its name (not an expression of its value), as in n8n's Split Out and Aggregate.
 */
export function inputFieldList(
	parameter: Pick<
		INodeProperties,
		'displayName' | 'name' | 'description' | 'placeholder' | 'displayOptions'
	>,
): INodeProperties {
	return { type: 'string', default: '', requiresDataPath: 'multiple', ...parameter };
}
