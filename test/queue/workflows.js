/**
 * The workflows the queue-mode test and benchmark publish: Webhook → Code (makes `count` items
 * for run `run`) → Brevo Event. The webhook answers at once ("Respond: Immediately"), so many
 * executions run at the same time, on the workers.
 */
'use strict';

const { brevoEvent, code, workflow } = require('../e2e/n8n/workflows');

const webhook = (path, webhookId) => ({
	id: webhookId,
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId,
	parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
});

const MAKE_ITEMS = `const { run, count } = $input.first().json.body;
return Array.from({ length: count }, (_, seq) => ({
  json: { id: 'run' + run + '-' + seq, props: { run, seq, total: seq * 1.5, gift: seq % 2 === 0 } },
}));`;

/**
 * @param {'single' | 'batch'} sendMode
 * @param {number} requestsPerSecond the account's limit (the sandbox's), as a user would set it
 * Two expressions per item (the ID and the properties), so that n8n's own expression cost stays
 * small next to the rate limit being measured.
 */
function queueWorkflow(sendMode, requestsPerSecond = 10) {
	const id = sendMode === 'single' ? 'brevoQueueSingle' : 'brevoQueueBatch';
	const webhookId =
		sendMode === 'single'
			? '5f2b6a4e-0000-4000-8000-00000000a001'
			: '5f2b6a4e-0000-4000-8000-00000000a002';
	return workflow(id, `Brevo Event: queue mode, ${sendMode}`, [
		webhook(`brevo-queue-${sendMode}`, webhookId),
		code(MAKE_ITEMS),
		brevoEvent({
			resource: 'event',
			operation: 'create',
			eventName: 'queue_test',
			identifiers: { extId: '={{ $json.id }}' },
			specifyEventProperties: 'json',
			eventPropertiesJson: '={{ $json.props }}',
			additionalFields: {},
			options: { sendMode, requestsPerSecond },
		}),
	]);
}

module.exports = { queueWorkflow };
