import { FieldError } from '../../nodes/BrevoEvent/payload/FieldError';

/** Runs `fn`, expects it to throw a FieldError, and returns it for assertions on field and message. */
export function fieldErrorOf(fn: () => unknown): FieldError {
	let caught: unknown;
	try {
		fn();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(FieldError);
	return caught as FieldError;
}
