/** `cnn-studio suggest` (issue 11): being built. */
export {};
