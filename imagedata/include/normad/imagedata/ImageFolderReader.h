#pragma once

// A folder of images as a classification dataset: one sub-folder per class (its name is the class
// name), holding PNG or JPEG files. Every image is converted to 8-bit grey and scaled to one size, so
// the dataset is as compact as an IDX file (one byte per pixel).

#include "normad/Dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace normad {

struct ImageFolderOptions {
    int width = 28;  ///< pixels every image is scaled to
    int height = 28; ///< pixels every image is scaled to
    /// Refuse a dataset whose pixels and labels would take more than this, bytes (checked from the
    /// file count before any image is decoded).
    std::uint64_t maxBytes = 4'000'000'000ULL;
};

/// One image of a folder dataset.
struct ImageFolderEntry {
    std::string relativePath; ///< "class/sub/file.png", '/'-separated, relative to the folder
    int classIndex = 0;       ///< index into the sorted class names
};

/// The layout of an image folder without decoding anything: class names (the sub-folder names,
/// sorted by their bytes) and the image files (suffix .png, .jpg, .jpeg — and .bmp, .gif, .pbm, .pgm,
/// .ppm, .webp, .tif, .tiff, the engine's manifest list — in any case, found in each class folder and
/// its sub-folders), sorted by relative path. Other files, and names starting with '.', are ignored.
struct ImageFolderListing {
    std::vector<std::string> classNames;
    std::vector<ImageFolderEntry> images;
};

/// Lists `folder`. Throws DatasetError naming the folder or file for: a path that is not a folder,
/// a folder without class sub-folders, an image file directly in `folder` (images belong in their
/// class's sub-folder), and a class folder holding no image.
ImageFolderListing listImageFolder(const std::string& folder);

/// Reads every image of `folder` (see listImageFolder) into a Dataset of bytes, width × height,
/// labelled by class folder. Throws DatasetError — before anything is handed out — naming the file
/// and what is wrong: a file that is not a readable image (Qt's reason given), an empty
/// image, options.maxBytes exceeded (naming both sizes), a width or height < 1; and everything
/// listImageFolder refuses.
Dataset readImageFolder(const std::string& folder, const ImageFolderOptions& options = {});

/// Registers readImageFolder as the engine's "image-folder" dataset reader (registerDatasetReader,
/// DatasetTask.h), scaling to the source's imageWidth × imageHeight (28 × 28 where unset). The
/// engine has no Qt, so every program that opens dataset projects calls this once from main().
void registerImageFolderReader();

} // namespace normad
