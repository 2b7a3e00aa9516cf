export {
  createNotifier,
  MAX_NOTIFY_BYTES,
  type Notifier,
  type NotifyLogger,
  notify,
  notifyMany,
  type Subscription,
} from './notify.ts';
