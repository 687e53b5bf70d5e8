/** `cnn-studio embed` (issue 11): being built. */
export {};
