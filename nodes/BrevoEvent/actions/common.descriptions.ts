import type { INodeProperties } from 'n8n-workflow';

import type { PROPERTY_PARAMETERS } from '../parameters/names';

/**
 * The "Contact Properties" / "Event Properties" inputs: a choice between key/value rows with a
 * type per row and one JSON object, as the HTTP Request node offers for its body.
 */
export function propertiesInput({
	label,
	names,
	operationFilter,
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
	names: (typeof PROPERTY_PARAMETERS)[keyof typeof PROPERTY_PARAMETERS];
	operationFilter: NonNullable<INodeProperties['displayOptions']>['show'];
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
				{ name: 'None', value: 'none' },
				{ name: 'Using Fields Below', value: 'keypair' },
				{ name: 'Using JSON', value: 'json' },
			],
			default: 'none',
			description: `Whether to send ${label.toLowerCase()}, and how to enter them`,
		},
		{
			displayName: label,
			name: names.rows,
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Property',
			default: {},
			description: rowsDescription,
			displayOptions: { show: { ...operationFilter, [mode]: ['keypair'] } },
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
			displayOptions: { show: { ...operationFilter, [mode]: ['json'] } },
			description: `${jsonDescription} Example: ${jsonExample}`,
		},
	];
}
