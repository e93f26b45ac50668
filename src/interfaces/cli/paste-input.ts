/** Files read as what Amazon shows on screen (copied text, a saved page); other files go to the ordinary import. */
export const isPasteInput = (file: string) => file === '-' || /\.(txt|html?|mhtml?|mht)$/i.test(file);
