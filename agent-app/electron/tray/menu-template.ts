/** Turns the menu model into Electron's menu template; clicks call `onAction` with the item's action. */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction, MenuItemModel } from './menu-model';

export function toMenuTemplate(
  items: readonly MenuItemModel[],
  onAction: (action: MenuAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'text':
        return { label: item.label, enabled: false };
      case 'action':
        return { label: item.label, click: () => onAction(item.action) };
      case 'checkbox':
        return {
          label: item.label,
          type: 'checkbox',
          checked: item.checked,
          click: () => onAction(item.action),
        };
      case 'submenu':
        return { label: item.label, submenu: toMenuTemplate(item.items, onAction) };
    }
  });
}
