import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { errorMessage } from '@pvefleet/errors';
import { DESIRED_STATE_CHANGED, type DesiredStateChanged } from './desired-change';

/**
 * Tells the drift side (DESIRED_STATE_CHANGED, when provided) after a change is committed. The change
 * stands either way: a failed recomputation is logged with its cause, and the next facts of each node
 * recompute its drift again, so the answer to the change that was saved stays a success.
 */
@Injectable()
export class DesiredChangeNotifier {
  private readonly logger = new Logger('DesiredState');

  constructor(@Optional() @Inject(DESIRED_STATE_CHANGED) private readonly listener?: DesiredStateChanged) {}

  async changed(what: string): Promise<void> {
    if (!this.listener) return;
    try {
      await this.listener.changed();
    } catch (err) {
      this.logger.error(`${what} was saved, but recomputing drift after it failed: ${errorMessage(err)}`);
    }
  }
}
