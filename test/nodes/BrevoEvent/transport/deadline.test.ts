import { Deadline } from '../../../../nodes/BrevoEvent/transport/deadline';

/** A request that never settles, as a token request to an endpoint that never answers. */
const never = () => new Promise<never>(() => {});

describe('Deadline.race', () => {
	test('the request settles first: its value', async () => {
		const deadline = new Deadline(60_000);
		await expect(deadline.race(Promise.resolve('answer'))).resolves.toBe('answer');
		deadline.end();
	});

	test('the deadline passes first: rejects as the HTTP client does on abort, and says so', async () => {
		const deadline = new Deadline(50);
		await expect(deadline.race(never())).rejects.toMatchObject({ code: 'ERR_CANCELED' });
		expect(deadline.passed).toBe(true);
	});

	test('the execution is cancelled first: rejects at once, the deadline not passed', async () => {
		const cancel = new AbortController();
		const deadline = new Deadline(60_000, cancel.signal);
		const raced = deadline.race(never());
		cancel.abort();
		await expect(raced).rejects.toMatchObject({ code: 'ERR_CANCELED' });
		expect(deadline.passed).toBe(false);
		deadline.end();
	});

	test('already cancelled: rejects without waiting', async () => {
		const cancel = new AbortController();
		cancel.abort();
		const deadline = new Deadline(60_000, cancel.signal);
		await expect(deadline.race(never())).rejects.toMatchObject({ code: 'ERR_CANCELED' });
		deadline.end();
	});
});
