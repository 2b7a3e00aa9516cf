export {
  createNotifier,
  MAX_NOTIFY_BYTES,
  type Notifier,
  type NotifyLogger,
  notify,
  type Subscription,
} from './notify.ts';
