import type { AllEntities } from 'n8n-workflow';

/** Every operation of every resource: the router and the descriptions agree on these names. */
export type BrevoEventMap = {
	event: 'create' | 'getAll';
};

export type BrevoEventType = AllEntities<BrevoEventMap>;
