/** The tray app's entry point (package.json "main" in the installers): process edges only. */
import { app, dialog } from 'electron';
import { systemClock } from '../../../common/clock';
import { errorMessage } from '../../../common/errors';
import { startTrayApp } from './app';

startTrayApp({ argv: process.argv, env: process.env, platform: process.platform, clock: systemClock }).catch(
  (e) => {
    dialog.showErrorBox('Proxmox Sleep Agent stopped', errorMessage(e));
    app.exit(1);
  },
);
