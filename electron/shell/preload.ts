// The window's preload, bundled into one file (a sandboxed preload cannot require project files).
import { contextBridge, ipcRenderer } from 'electron';
import { exposeDeskBridge } from './preload-bridge';

exposeDeskBridge(contextBridge, ipcRenderer);
