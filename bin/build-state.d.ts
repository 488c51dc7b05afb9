/** Types of bin/build-state.js (plain JavaScript: the CLI runs it before tsx is loaded). */
export declare const DIST: string;
export declare const DIGEST_FILE: string;
export declare const BUILD_CONFIG: string;
export declare function sourceDigest(root?: string): string;
export declare function currentBuild(root?: string): string | undefined;
