export { LoopbackGitHost } from './LoopbackGitHost';
export type {
  LoopbackGitHostCall,
  LoopbackGitHostOptions,
  LoopbackTokenScope,
} from './LoopbackGitHost';
export { LoopbackGitHub } from './LoopbackGitHub';
export type { LoopbackPullRequest } from './LoopbackGitHub';
export { LoopbackGitLab } from './LoopbackGitLab';
export type { LoopbackMergeRequest } from './LoopbackGitLab';
