/**
 * A value of one item that Brevo would reject. Thrown by the pure payload builders, which know
 * nothing of n8n; the operation turns it into a NodeOperationError naming the item and the field.
 */
export class FieldError extends Error {
	constructor(
		/** The field as the user sees it in the node, e.g. "Event Properties › duration". */
		readonly field: string,
		message: string,
		/** How to fix it, shown under the message in the n8n UI. */
		readonly hint?: string,
	) {
		super(message);
		this.name = 'FieldError';
	}
}

/**
 * A property row with a value but no Name. Its own type because the operation explains it for
 * contact rows: n8n's editor can empty a Name picked from the attribute list (emptyAttributeName.ts).
 */
export class RowWithoutNameError extends FieldError {
	constructor(
		field: string,
		/** Whose row: a contact attribute or an event property. */
		readonly target: 'contact' | 'event',
		hint?: string,
	) {
		super(field, 'Name is empty', hint);
	}
}
