/**
 * One channel to a guest (channel.ts): its status document through its TRANSPORT (transports/), its agent's
 * commands (agent-command.ts), its process list (processes.ts) and its OS (guest-os.ts, cached).
 */
export * from './types';
export { ReadFailure, type ReadFailureCode } from './read-failure';
export { createGuestChannels, type ChannelDeps, type GuestChannel, type GuestChannels } from './channel';
export { guestOs, memoryOsCache, osFromOsInfo, type OsCache } from './guest-os';
export { createTransports, type TransportDeps, type TransportSet } from './transports';
export { remoteQuote, sshArgs } from './transports/ssh';
export { agentArgv, AGENT_PROGRAM } from './agent-argv';
export { agentRoute, type AgentAnswer, type AgentChannel } from './agent-command';
