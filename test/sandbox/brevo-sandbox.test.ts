import { request } from 'node:http';

import { useSandbox } from '../helpers/sandbox';

/** The sandbox stays up whatever a client sends, and only local programs may steer it. */
describe('the Brevo sandbox', () => {
	const sandbox = useSandbox();

	const alive = async () => (await fetch(`${sandbox.server.url}/__sandbox/stats`)).status;

	test('invalid JSON to the control API is a 400, and the sandbox keeps serving', async () => {
		const response = await fetch(`${sandbox.server.url}/__sandbox/config`, {
			method: 'POST',
			body: '{not json',
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({
			code: 'invalid_parameter',
			message: 'config is not valid JSON',
		});
		expect(await alive()).toBe(200);
	});

	test('a client that aborts in the middle of its body does not take the sandbox down', async () => {
		await new Promise<void>((resolve) => {
			const req = request(`${sandbox.baseUrl}/events`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'content-length': '1000' },
			});
			req.on('error', () => resolve());
			req.write('{"event_name": "half');
			setTimeout(() => {
				req.destroy();
				resolve();
			}, 50);
		});
		expect(await alive()).toBe(200);
		expect(sandbox.stored()).toEqual([]);
	});

	test('the control API refuses cross-origin requests (a web page always sends Origin)', async () => {
		const response = await fetch(`${sandbox.server.url}/__sandbox/reset`, {
			method: 'POST',
			headers: { origin: 'https://evil.example' },
		});
		expect(response.status).toBe(403);
		const events = await fetch(`${sandbox.server.url}/__sandbox/events`, {
			headers: { origin: 'https://evil.example' },
		});
		expect(events.status).toBe(403);
	});
});
