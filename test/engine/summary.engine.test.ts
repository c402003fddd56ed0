import { useHostileServer } from '../helpers/hostile-server';
import { runBrevoEventNode } from '../helpers/n8n-engine';

/**
 * The run summary (execution hint and log line) in n8n-core's real engine, when a server refuses
 * every event of a bulk send with a message naming each one's email address.
 */
describe('the run summary stays small', () => {
	jest.setTimeout(120_000);
	const server = useHostileServer();

	test('5,000 refused items, each refusal naming its email: one group, a hint of a few hundred characters', async () => {
		server.answerWith((req, res) => {
			const { events } = JSON.parse(req.body) as {
				events: Array<{ identifiers: { email_id: string } }>;
			};
			res.writeHead(400, { 'content-type': 'application/json' }).end(
				JSON.stringify({
					status: 'failed',
					total_events: events.length,
					successful_events: 0,
					failed_events: events.length,
					errors: events.map((event, i) => ({
						eventIndex: [i],
						message: `email_id ${event.identifiers.email_id} is blocklisted`,
					})),
				}),
			);
		});
		const { run, output } = await runBrevoEventNode({
			parameters: {
				resource: 'event',
				operation: 'create',
				eventName: 'order_created',
				identifiers: { emailId: '={{ $json.email }}' },
				options: { sendMode: 'batch', requestsPerSecond: 50, output: 'outcome' },
			},
			items: Array.from({ length: 5_000 }, (_, i) => ({
				json: { email: `user-${i}@example.com` },
			})),
			credentials: server.credentials,
			continueOnFail: true,
		});
		expect(output).toHaveLength(5_000);
		expect(output!.every((item) => item.json.error !== undefined)).toBe(true);
		const hints = run.data.resultData.runData['Brevo Event'][0].hints ?? [];
		const text = hints.map((hint) => hint.message).join('\n');
		expect(text).toMatch(/^Brevo Event: 5,000 items: 5,000 refused\. Refused: 5,000 × .*<email>/);
		expect(text.length).toBeLessThan(400);
		expect(text).not.toContain('@example.com');
	});
});
