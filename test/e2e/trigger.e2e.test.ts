import { describeTrigger } from './trigger.suite';

describeTrigger('n8n-2', 'sideBySide');
