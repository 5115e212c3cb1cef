import type { CommandHandler } from '../shell/command';
import { awkCommands } from './awk';
import { basicCommands } from './basic';
import { fileCommands } from './files';
import { sedCommands } from './sed';
import { testCommands } from './test';
import { textCommands } from './text';

/** Every node-independent program, by name. */
export const coreutils: ReadonlyMap<string, CommandHandler> = new Map(
  Object.entries({ ...basicCommands, ...fileCommands, ...textCommands, ...sedCommands, ...testCommands, ...awkCommands }),
);
