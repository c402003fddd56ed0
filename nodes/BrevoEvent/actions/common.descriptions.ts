import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { PROPERTY_PARAMETERS } from '../parameters/names';

type Filter = NonNullable<INodeProperties['displayOptions']>['show'];

/** displayOptions showing a parameter for `filter` when parameter `mode` has one of `values`. */
export function inMode(filter: Filter, mode: string, values: string[]) {
	return { show: { ...filter, [mode]: values } };
}

/**
 * The "Contact Properties" / "Event Properties" inputs: a mode selector (labelled like the section,
 * "Contact Properties"), then the input of the chosen mode under a label of its own, so no label
 * appears twice. Modes: None, the operation's own (`extraModes`, whose parameters the caller adds),
 * key/value rows with a type per row, one JSON object.
 */
export function propertiesInput({
	label,
	names,
	operationFilter,
	extraModes = [],
	rowsLabel,
	rowsPlaceholder,
	rowNameDescription,
	rowNamePlaceholder,
	rowNameLoadOptions,
	rowsDescription,
	jsonDescription,
	jsonExample,
	typeOptions,
}: {
	label: string;
	/** The names of the mode, rows and JSON parameters. */
	names: Pick<
		(typeof PROPERTY_PARAMETERS)[keyof typeof PROPERTY_PARAMETERS],
		'mode' | 'rows' | 'json'
	>;
	operationFilter: Filter;
	/** Modes offered between None and the rows, e.g. Map Automatically. */
	extraModes?: INodePropertyOptions[];
	/** Label of the rows list, e.g. "Attributes to Update". */
	rowsLabel: string;
	/** Text of the rows list's add button, e.g. "Add Attribute". */
	rowsPlaceholder: string;
	rowNameDescription: string;
	rowNamePlaceholder: string;
	/** A loadOptions method listing the names to choose from (the account's contact attributes). */
	rowNameLoadOptions?: string;
	rowsDescription: string;
	jsonDescription: string;
	jsonExample: string;
	typeOptions: Array<{ name: string; value: string; description: string }>;
}): INodeProperties[] {
	const mode = names.mode;
	return [
		{
			displayName: label,
			name: mode,
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: operationFilter },
			options: [
				{ name: 'None', value: 'none', description: `Send no ${label.toLowerCase()}` },
				...extraModes,
				{
					name: 'Using Fields Below',
					value: 'keypair',
					description: 'Enter or map each value in a row, with the type it is sent as',
				},
				{ name: 'Using JSON', value: 'json', description: 'Enter or map one JSON object' },
			],
			default: 'none',
			description: `Whether to send ${label.toLowerCase()}, and where their values come from`,
		},
		{
			displayName: rowsLabel,
			name: names.rows,
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: rowsPlaceholder,
			default: {},
			description: rowsDescription,
			displayOptions: inMode(operationFilter, mode, ['keypair']),
			options: [
				{
					displayName: 'Property',
					name: 'property',
					values: [
						rowNameLoadOptions
							? {
									displayName: 'Name or ID',
									name: 'name',
									type: 'options',
									typeOptions: { loadOptionsMethod: rowNameLoadOptions },
									default: '',
									description: `${rowNameDescription}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
								}
							: {
									displayName: 'Name',
									name: 'name',
									type: 'string',
									default: '',
									placeholder: rowNamePlaceholder,
									description: rowNameDescription,
								},
						{
							displayName: 'Type',
							name: 'type',
							type: 'options',
							options: typeOptions,
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
				},
			],
		},
		{
			displayName: `${label} (JSON)`,
			name: names.json,
			type: 'json',
			default: '{}',
			displayOptions: inMode(operationFilter, mode, ['json']),
			description: `${jsonDescription} Example: ${jsonExample}`,
		},
	];
}

/**
 * A comma-separated list of input field names. `requiresDataPath` makes a field dragged onto it
 * drop its name (not an expression of its value), as in n8n's Split Out and Aggregate.
 */
export function inputFieldList(
	parameter: Pick<INodeProperties, 'displayName' | 'name' | 'description' | 'placeholder'> & {
		displayOptions: INodeProperties['displayOptions'];
	},
): INodeProperties {
	return { type: 'string', default: '', requiresDataPath: 'multiple', ...parameter };
}
